/**
 * The session gate: asks the server who we are, then shows Login (401), the Desktop,
 * or — by path and role — the administration (`/admin/…`, admins) or the platform
 * pages (`/platform/…`, the operator). `/welcome?token=…` (setting a password from an
 * invitation) needs no session. Also owns the UI language, since every page switches it.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { Language, MeView } from "../shared/protocol.ts";
import { SessionContext } from "./admin/kit/context.ts";
import { isUnder } from "./admin/kit/route.ts";
import { navigate, Redirect, useRoute } from "./admin/kit/router.tsx";
import "./admin/entry.css";
import { LazyAdmin } from "./admin/LazyAdmin.tsx";
import { WelcomePage } from "./admin/welcome/WelcomePage.tsx";
import { landingPath } from "./admin/welcome/welcome.ts";
import { ApiError, api, errorMessage, onUnauthorized } from "./api.ts";
import { Desktop } from "./components/Desktop.tsx";
import { LoadError, Loading } from "./components/Feedback.tsx";
import { Login } from "./components/Login.tsx";
import { LazyCustomers } from "./customers/LazyCustomers.tsx";
import { DeskAway } from "./desk/session/DeskAway.tsx";
import { DeskSessionProvider } from "./desk/session/session.tsx";
import { type I18n, I18nContext, initialLanguage, rememberLanguage, translator } from "./i18n.ts";
import { useActivityKeepAlive } from "./useActivityKeepAlive.ts";

type Session =
  | { kind: "checking" }
  | { kind: "failed"; error: unknown }
  | { kind: "signed_out" }
  | { kind: "signed_in"; me: MeView };

export function App() {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  const [session, setSession] = useState<Session>({ kind: "checking" });
  const t = useMemo(() => translator(language), [language]);
  const route = useRoute();
  const onWelcome = route.path === "/welcome";

  const inAdmin = isUnder(route.path, "/admin") || isUnder(route.path, "/platform");
  const inCustomers = isUnder(route.path, "/customers");
  useEffect(() => {
    rememberLanguage(language);
    document.title = t(inCustomers ? "customers.title" : inAdmin ? "admin.title" : "app.title");
  }, [language, t, inAdmin, inCustomers]);

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
  useActivityKeepAlive(me !== null);
  /** The user picked a language before signing in (login or welcome page). */
  const chosenBeforeSignIn = useRef(false);
  const i18n = useMemo<I18n>(
    () => ({
      language,
      t,
      setLanguage: (chosen) => {
        setLanguageState(chosen);
        if (!me || onWelcome) chosenBeforeSignIn.current = true;
        // On the welcome page the session (if any) may be someone else's: keep theirs.
        if (me && me.language !== chosen && !onWelcome) saveLanguage(chosen);
      },
    }),
    [language, t, me, saveLanguage, onWelcome],
  );

  const signedIn = useCallback(
    (signedInMe: MeView) => {
      if (chosenBeforeSignIn.current) {
        // Picked on the login page: this user's choice from now on.
        chosenBeforeSignIn.current = false;
        if (signedInMe.language !== language) saveLanguage(language);
        setSession({ kind: "signed_in", me: { ...signedInMe, language } });
      } else {
        // Untouched: the page speaks the language the user saved, which stays as it was.
        setLanguageState(signedInMe.language);
        setSession({ kind: "signed_in", me: signedInMe });
      }
    },
    [language, saveLanguage],
  );

  const signedOut = useCallback(() => setSession({ kind: "signed_out" }), []);

  // Setting a password from an invitation signs the user in: on to their own start page.
  const welcomed = useCallback(
    (signedInMe: MeView) => {
      signedIn(signedInMe);
      navigate(landingPath(signedInMe.role), { replace: true });
    },
    [signedIn],
  );

  return (
    <I18nContext.Provider value={i18n}>
      <SessionContext.Provider value={me}>
        {onWelcome ? (
          <WelcomePage search={route.search} onSignedIn={welcomed} />
        ) : (
          <>
            {session.kind === "checking" && <Loading fullPage />}
            {session.kind === "failed" && (
              <main class="page-center">
                <LoadError
                  message={t("app.loadFailed", {
                    message: errorMessage(
                      session.error,
                      t("app.networkError"),
                      t("app.unexpectedError"),
                    ),
                  })}
                  onRetry={checkSession}
                />
              </main>
            )}
            {session.kind === "signed_out" && <Login onSignedIn={signedIn} />}
            {me && <SignedIn me={me} path={route.path} onSignedOut={signedOut} />}
          </>
        )}
      </SessionContext.Provider>
    </I18nContext.Provider>
  );
}

/**
 * Who sees what where: the operator only the platform pages; admins the administration
 * under /admin, the customers under /customers and the desk elsewhere; agents the
 * customers under /customers and the desk. Other paths go home. Admins and agents keep
 * their desk session on every page: offers, alerts and their status follow them.
 */
function SignedIn({
  me,
  path,
  onSignedOut,
}: {
  me: MeView;
  path: string;
  onSignedOut: () => void;
}) {
  if (me.role === "operator") {
    if (!isUnder(path, "/platform")) return <Redirect to="/platform/tenants" />;
    return <LazyAdmin key={me.id} me={me} onSignedOut={onSignedOut} />;
  }
  return (
    <DeskSessionProvider key={me.id} me={me}>
      <Routed me={me} path={path} onSignedOut={onSignedOut} />
    </DeskSessionProvider>
  );
}

function Routed({ me, path, onSignedOut }: { me: MeView; path: string; onSignedOut: () => void }) {
  // Admins keep one frame (and one download) for the administration and the customers.
  if (me.role === "admin" && (isUnder(path, "/admin") || isUnder(path, "/customers"))) {
    return (
      <>
        <LazyAdmin key={me.id} me={me} onSignedOut={onSignedOut} />
        <DeskAway />
      </>
    );
  }
  if (me.role === "agent" && isUnder(path, "/customers")) {
    return (
      <>
        <LazyCustomers key={me.id} me={me} onSignedOut={onSignedOut} />
        <DeskAway />
      </>
    );
  }
  if (path !== "/") return <Redirect to="/" />;
  return <Desktop key={me.id} me={me} onSignedOut={onSignedOut} />;
}
