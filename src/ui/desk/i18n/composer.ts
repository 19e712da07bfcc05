/**
 * The desktop's strings for one area (composer), in English and Italian; merged into the
 * desktop's dictionary by `src/ui/i18n.ts`. Keys are prefixed by the area's screens.
 */
export const composerEn = {
  "compose.tools": "Message tools",
  "compose.send": "Send",
  "compose.cancel": "Cancel",
  "compose.close": "Close",
  "compose.filter": "Filter",
  "compose.noMatch": "Nothing matches the filter.",
  "compose.nearLimit": "{left} characters left",

  "compose.kind.image": "Image",
  "compose.kind.audio": "Audio",
  "compose.kind.voice": "Voice message",
  "compose.kind.video": "Video",
  "compose.kind.document": "Document",
  "compose.kind.sticker": "Sticker",
  "compose.kind.location": "Location",

  "compose.emoji.open": "Emoji",
  "compose.emoji.categories": "Emoji categories",
  "compose.emoji.smileys": "Smileys",
  "compose.emoji.gestures": "Gestures",
  "compose.emoji.hearts": "Hearts & celebrations",
  "compose.emoji.objects": "Objects",
  "compose.emoji.symbols": "Symbols",
  "compose.emoji.hint": "Arrow keys move, Enter inserts, Esc closes.",

  "compose.attach.open": "Attach a file",
  "compose.attach.caption": "Caption (optional)",
  "compose.attach.uploading": "Uploading…",
  "compose.attach.unsupported":
    "WhatsApp does not accept files of type {type}. Send images (JPEG, PNG), audio (AAC, AMR, MP3, M4A, OGG), video (MP4, 3GP), documents (PDF, TXT, Word, Excel, PowerPoint) or WebP stickers.",
  "compose.attach.tooLarge": "This file is too large: WhatsApp accepts a {kind} of at most {max}.",
  "compose.attach.empty": "This file is empty.",
  "compose.attach.mismatch":
    "This file's content is not {type}, as its name says: it was probably renamed. WhatsApp would refuse it.",

  "compose.voice.open": "Record a voice message",
  "compose.voice.start": "Start recording",
  "compose.voice.stop": "Stop",
  "compose.voice.recording": "Recording…",
  "compose.voice.hint": "Your browser will ask to use the microphone.",
  "compose.voice.unsupported":
    "This browser cannot record audio in a format WhatsApp accepts (Ogg or MP4). Use a current Chrome, Edge, Firefox or Safari, or attach an audio file.",
  "compose.voice.denied":
    "The microphone is blocked for this site. Allow it in the browser's site settings, then try again.",
  "compose.voice.noMicrophone": "No microphone could be used.",

  "compose.location.open": "Send a location",
  "compose.location.none":
    "There are no predefined locations yet. An administrator adds them under Administration → Locations.",

  "compose.predefined.open": "Predefined messages",
  "compose.predefined.none":
    "There are no predefined messages yet. An administrator adds them under Administration → Predefined messages.",
  "compose.predefined.category": "Category",
  "compose.predefined.allCategories": "All categories",
  "compose.predefined.buttons": "Buttons",
  "compose.predefined.list": "List",

  "compose.meeting.insert": "Insert a video-call link",

  "compose.dictation.start": "Dictate",
  "compose.dictation.stop": "Stop dictation",
  "compose.dictation.listening": "Listening…",
  "compose.dictation.denied": "The microphone is blocked: dictation cannot listen.",
  "compose.dictation.failed": "Dictation stopped: speech recognition is not available right now.",
} as const satisfies Record<string, string>;

export const composerIt: Record<keyof typeof composerEn, string> = {
  "compose.tools": "Strumenti del messaggio",
  "compose.send": "Invia",
  "compose.cancel": "Annulla",
  "compose.close": "Chiudi",
  "compose.filter": "Filtra",
  "compose.noMatch": "Nessun risultato per il filtro.",
  "compose.nearLimit": "Restano {left} caratteri",

  "compose.kind.image": "Immagine",
  "compose.kind.audio": "Audio",
  "compose.kind.voice": "Messaggio vocale",
  "compose.kind.video": "Video",
  "compose.kind.document": "Documento",
  "compose.kind.sticker": "Sticker",
  "compose.kind.location": "Posizione",

  "compose.emoji.open": "Emoji",
  "compose.emoji.categories": "Categorie di emoji",
  "compose.emoji.smileys": "Faccine",
  "compose.emoji.gestures": "Gesti",
  "compose.emoji.hearts": "Cuori e feste",
  "compose.emoji.objects": "Oggetti",
  "compose.emoji.symbols": "Simboli",
  "compose.emoji.hint": "Frecce per spostarsi, Invio per inserire, Esc per chiudere.",

  "compose.attach.open": "Allega un file",
  "compose.attach.caption": "Didascalia (facoltativa)",
  "compose.attach.uploading": "Caricamento…",
  "compose.attach.unsupported":
    "WhatsApp non accetta file di tipo {type}. Invia immagini (JPEG, PNG), audio (AAC, AMR, MP3, M4A, OGG), video (MP4, 3GP), documenti (PDF, TXT, Word, Excel, PowerPoint) o sticker WebP.",
  "compose.attach.tooLarge": "Il file è troppo grande: WhatsApp accetta {kind} fino a {max}.",
  "compose.attach.empty": "Il file è vuoto.",
  "compose.attach.mismatch":
    "Il contenuto del file non è {type}, come dice il nome: probabilmente è stato rinominato. WhatsApp lo rifiuterebbe.",

  "compose.voice.open": "Registra un messaggio vocale",
  "compose.voice.start": "Avvia la registrazione",
  "compose.voice.stop": "Ferma",
  "compose.voice.recording": "Registrazione in corso…",
  "compose.voice.hint": "Il browser chiederà di usare il microfono.",
  "compose.voice.unsupported":
    "Questo browser non sa registrare l'audio in un formato accettato da WhatsApp (Ogg o MP4). Usa una versione recente di Chrome, Edge, Firefox o Safari, oppure allega un file audio.",
  "compose.voice.denied":
    "Il microfono è bloccato per questo sito. Consentilo nelle impostazioni del sito del browser, poi riprova.",
  "compose.voice.noMicrophone": "Nessun microfono utilizzabile.",

  "compose.location.open": "Invia una posizione",
  "compose.location.none":
    "Non ci sono ancora posizioni predefinite. Un amministratore le aggiunge in Amministrazione → Posizioni.",

  "compose.predefined.open": "Messaggi predefiniti",
  "compose.predefined.none":
    "Non ci sono ancora messaggi predefiniti. Un amministratore li aggiunge in Amministrazione → Messaggi predefiniti.",
  "compose.predefined.category": "Categoria",
  "compose.predefined.allCategories": "Tutte le categorie",
  "compose.predefined.buttons": "Pulsanti",
  "compose.predefined.list": "Elenco",

  "compose.meeting.insert": "Inserisci un link di videochiamata",

  "compose.dictation.start": "Detta",
  "compose.dictation.stop": "Ferma la dettatura",
  "compose.dictation.listening": "In ascolto…",
  "compose.dictation.denied": "Il microfono è bloccato: la dettatura non può ascoltare.",
  "compose.dictation.failed":
    "Dettatura interrotta: il riconoscimento vocale ora non è disponibile.",
};
