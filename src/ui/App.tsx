/**
 * The session gate: asks the server who we are, then shows Login (401) or the Desktop.
 * Also owns the UI language, since both pages switch it.
 */
import { useCallback, useEffect, useMemo, useState } from "preact/hooks";
import type { Language, MeView } from "../shared/protocol.ts";
import { ApiError, api, errorMessage, onUnauthorized } from "./api.ts";
import { Desktop } from "./components/Desktop.tsx";
import { LoadError, Loading } from "./components/Feedback.tsx";
import { Login } from "./components/Login.tsx";
import { type I18n, I18nContext, initialLanguage, rememberLanguage, translator } from "./i18n.ts";

type Session =
  | { kind: "checking" }
  | { kind: "failed"; error: unknown }
  | { kind: "signed_out" }
  | { kind: "signed_in"; me: MeView };

export function App() {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  const [session, setSession] = useState<Session>({ kind: "checking" });
  const t = useMemo(() => translator(language), [language]);

  useEffect(() => {
    rememberLanguage(language);
    document.title = t("app.title");
  }, [language, t]);

  // Any 401 from the API means the session is gone: back to Login.
  useEffect(() => {
    onUnauthorized(() => setSession({ kind: "signed_out" }));
    return () => onUnauthorized(null);
  }, []);

  const checkSession = useCallback(async () => {
    setSession({ kind: "checking" });
    try {
      const me = await api.me();
      // The language stored on the server follows the user across browsers.
      setLanguageState(me.language);
      setSession({ kind: "signed_in", me });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) setSession({ kind: "signed_out" });
      else setSession({ kind: "failed", error });
    }
  }, []);

  useEffect(() => {
    void checkSession();
  }, [checkSession]);

  const saveLanguage = useCallback((chosen: Language) => {
    api.setLanguage(chosen).then(
      (me) => setSession((s) => (s.kind === "signed_in" ? { kind: "signed_in", me } : s)),
      (error: unknown) => console.warn("Could not save the language", error),
    );
  }, []);

  const me = session.kind === "signed_in" ? session.me : null;
  const i18n = useMemo<I18n>(
    () => ({
      language,
      t,
      setLanguage: (chosen) => {
        setLanguageState(chosen);
        if (me && me.language !== chosen) saveLanguage(chosen);
      },
    }),
    [language, t, me, saveLanguage],
  );

  const signedIn = useCallback(
    (signedInMe: MeView) => {
      // The language picked on the login page is this user's choice from now on.
      if (signedInMe.language !== language) saveLanguage(language);
      setSession({ kind: "signed_in", me: { ...signedInMe, language } });
    },
    [language, saveLanguage],
  );

  const signedOut = useCallback(() => setSession({ kind: "signed_out" }), []);

  return (
    <I18nContext.Provider value={i18n}>
      {session.kind === "checking" && <Loading fullPage />}
      {session.kind === "failed" && (
        <main class="page-center">
          <LoadError
            message={t("app.loadFailed", {
              message: errorMessage(session.error, t("app.networkError"), t("app.unexpectedError")),
            })}
            onRetry={checkSession}
          />
        </main>
      )}
      {session.kind === "signed_out" && <Login onSignedIn={signedIn} />}
      {me && <Desktop key={me.id} me={me} onSignedOut={signedOut} />}
    </I18nContext.Provider>
  );
}
