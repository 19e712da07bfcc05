/**
 * Dictation with the browser's speech recognition (SpeechRecognition, or
 * webkitSpeechRecognition in Chromium and Safari), in the UI's language.
 * Unavailable elsewhere: the composer then shows no dictation button.
 */
import { useEffect, useRef, useState } from "preact/hooks";

/** The part of the Web Speech API we use (not in TypeScript's DOM library). */
interface Recognition {
  lang: string;
  continuous: boolean;
  interimResults: boolean;
  onresult: ((event: RecognitionEvent) => void) | null;
  onerror: ((event: { error: string }) => void) | null;
  onend: (() => void) | null;
  start(): void;
  stop(): void;
  abort(): void;
}
interface RecognitionEvent {
  resultIndex: number;
  results: ArrayLike<{ isFinal: boolean; 0: { transcript: string } }>;
}
type RecognitionConstructor = new () => Recognition;

function recognitionConstructor(): RecognitionConstructor | null {
  const w = globalThis as unknown as {
    SpeechRecognition?: RecognitionConstructor;
    webkitSpeechRecognition?: RecognitionConstructor;
  };
  return w.SpeechRecognition ?? w.webkitSpeechRecognition ?? null;
}

/** The BCP 47 tag recognition listens for, from the UI's language. */
export function dictationLang(language: "en" | "it"): string {
  return language === "it" ? "it-IT" : "en-US";
}

/** Dictation state: whether it exists here, whether it listens, what it hears, why it stopped. */
export interface Dictation {
  supported: boolean;
  listening: boolean;
  interim: string;
  error: string | null;
  toggle: () => void;
}

/** Listens while on; each final phrase goes to `onText`. Stops when the component unmounts. */
export function useDictation(language: "en" | "it", onText: (text: string) => void): Dictation {
  const Ctor = recognitionConstructor();
  const [listening, setListening] = useState(false);
  const [interim, setInterim] = useState("");
  const [error, setError] = useState<string | null>(null);
  const recognition = useRef<Recognition | null>(null);
  const onTextRef = useRef(onText);
  onTextRef.current = onText;

  useEffect(() => () => recognition.current?.abort(), []);

  function toggle() {
    if (!Ctor) return;
    if (recognition.current) {
      recognition.current.stop();
      return;
    }
    const r = new Ctor();
    r.lang = dictationLang(language);
    r.continuous = true;
    r.interimResults = true;
    r.onresult = (event) => {
      let pending = "";
      for (let i = event.resultIndex; i < event.results.length; i++) {
        const result = event.results[i]!;
        const transcript = result[0].transcript.trim();
        if (result.isFinal) {
          if (transcript) onTextRef.current(transcript);
        } else pending += transcript;
      }
      setInterim(pending);
    };
    r.onerror = (event) => setError(event.error);
    r.onend = () => {
      recognition.current = null;
      setListening(false);
      setInterim("");
    };
    setError(null);
    recognition.current = r;
    r.start();
    setListening(true);
  }

  return { supported: Ctor !== null, listening, interim, error, toggle };
}
