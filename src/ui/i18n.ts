/**
 * Every string the desktop shows, in English and Italian, plus the `Intl` helpers
 * for times and durations. Components read them through `useI18n()` so a language
 * switch re-renders everything at once.
 */
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Language } from "../shared/protocol.ts";
import { type AdminMessageKey, adminEn, adminIt } from "./admin/i18n-admin.ts";
import { accountEn, accountIt } from "./desk/i18n/account.ts";
import { chromeEn, chromeIt } from "./desk/i18n/chrome.ts";
import { composerEn, composerIt } from "./desk/i18n/composer.ts";
import { messagesEn, messagesIt } from "./desk/i18n/messages.ts";
import { outboundEn, outboundIt } from "./desk/i18n/outbound.ts";
import { panelsEn, panelsIt } from "./desk/i18n/panels.ts";

const en = {
  // ---- desktop areas, each in its own file under desk/i18n ----
  ...messagesEn,
  ...composerEn,
  ...outboundEn,
  ...panelsEn,
  ...accountEn,
  ...chromeEn,
  "app.title": "Parley — Agent desktop",
  "app.name": "Parley",
  "app.loading": "Loading…",
  "app.retry": "Retry",
  "app.loadFailed": "Could not load: {message}",
  "app.networkError": "Network error — check your connection.",
  "app.unexpectedError": "Something went wrong.",
  "app.dismiss": "Dismiss",
  "app.none": "—",

  "language.label": "Language",
  "language.en": "English",
  "language.it": "Italiano",

  "login.title": "Sign in",
  "login.subtitle": "Agent desktop",
  "login.email": "E-mail",
  "login.password": "Password",
  "login.submit": "Sign in",
  "login.submitting": "Signing in…",
  "login.invalid": "Invalid e-mail or password",

  "header.agent": "Agent",
  "header.logout": "Log out",
  "header.load": "Conversations",
  "header.loadValue": "{load} / {max}",
  "header.loadLabel": "Conversations: {load} of {max}",
  "header.offers": "Offers",
  "header.offersLabel": "Offers waiting for you: {n}",

  "status.label": "Status",
  "status.ready": "Ready",
  "status.back_office": "Back office",
  "status.break": "Break",
  "status.rona": "RONA — missed offer",
  "status.ronaHint": "You missed an offer. Choose Ready to receive conversations again.",
  "status.changeFailed": "Could not change status: {message}",

  "connection.live": "Live",
  "connection.reconnecting": "Reconnecting…",

  // Service status in the header (working time of the tenant's numbers).
  "service.open": "Service open",
  "service.mixed": "Service partly open",
  "service.closed": "Service closed",
  "service.unknown": "Service status unavailable",
  "service.details": "Working time of each number",
  "service.noNumbers": "No numbers yet",
  "service.openUntil": "{name}: open, closes {when}",
  "service.openNoChange": "{name}: open",
  "service.closedUntil": "{name}: closed, opens {when}",
  "service.closedNoChange": "{name}: closed",

  "list.title": "My conversations",
  "list.empty": "No conversations yet — set yourself Ready to receive them",
  "list.unread": "{n} unread",
  "list.sinceLast": "Since the customer's last message",

  "state.queued": "Queued",
  "state.offered": "Offered",
  "state.assigned": "Active",
  "state.closed": "Closed",
  "state.bot": "Choosing a topic",
  "state.transfer": "Awaiting transfer",
  "state.wait_queue": "In the wait queue",
  "state.unauthorized": "Unauthorized number",
  "state.outbound": "Template sent, awaiting the answer",

  "conversation.select": "Select a conversation",
  "conversation.phone": "Phone",
  "conversation.number": "Number",
  "conversation.skillset": "Skillset",
  "conversation.loadFailed": "Could not load the conversation: {message}",
  "conversation.messages": "Messages with {name}",
  "conversation.empty": "No messages yet",

  "message.system": "System",
  "message.notSent": "Not sent: {message}",
  "message.retry": "Send again",

  "tick.pending": "Pending",
  "tick.unconfirmed": "Not confirmed",
  "tick.sent": "Sent",
  "tick.delivered": "Delivered",
  "tick.read": "Read",
  "tick.played": "Played",
  "tick.failed": "Failed",

  "composer.label": "Message",
  "composer.placeholder": "Type a message — Enter to send, Shift+Enter for a new line",
  "composer.send": "Send",
  "composer.windowClosed":
    "More than 24 hours have passed since the customer's last message: WhatsApp allows only templates now.",
  "composer.count": "{n}/{max}",
  "composer.countLabel": "{n} of {max} characters",

  "close.button": "Close conversation",
  "close.title": "Close conversation",
  "close.description": "Closing ends the conversation with {name}. Why is it being closed?",
  "close.reason": "Closing reason",
  "close.reasonHelp": 'Up to {max} characters; "Closed" when left empty.',
  "close.required": "Choose a closing reason.",
  "close.confirm": "Close conversation",
  "close.closing": "Closing…",
  "close.cancel": "Cancel",
  "close.failed": "Could not close the conversation: {message}",
  "close.done": "Conversation closed",
  // Closing with the number's profiling tree.
  "close.reasonOptional": "optional",
  "close.optionsFailed": "Could not load the closing reasons: {message}",
  "close.level1": "Reason",
  "close.detail": "More specific reason",
  "close.choose": "Choose…",
  "close.search": "Find a reason",
  "close.searchHelp": "Type words from any level; ↓ to go through the matches.",
  "close.noHits": "No reason matches.",
  "close.hits": "{n} matching reasons",
  "close.chosen": "Chosen: {path}",
  "close.moreSpecific": "Choose a more specific reason.",
  "close.requiredHelp": "A closing reason is required.",
  "close.optionalHelp": "You may close without choosing a reason.",
  "close.notesNotAllowed": "Notes are not allowed with this reason.",
  "close.notesAfterReason": "Whether notes are allowed depends on the reason.",

  "offers.title": "Incoming conversations",
  "offer.heading": "New conversation",
  "offer.phone": "Phone",
  "offer.number": "Number",
  "offer.skillset": "Skillset",
  "offer.waiting": "Waiting",
  "offer.expires": "Expires in",
  "offer.accept": "Accept",
  "offer.accepting": "Accepting…",
  "offer.acceptLabel": "Accept the conversation with {name}",
  "offer.gone": "That conversation is no longer available.",
  "offer.failed": "Could not accept: {message}",

  // ---- Conversation lifecycle: offers by kind, transfer, conference, waiting lists ----
  "offer.transfer": "Transfer",
  "offer.transferFrom": "Transfer from {name}",
  "offer.conference": "Conference invitation",
  "offer.conferenceFrom": "Conference invitation from {name}",
  "status.offline": "Offline",
  "targets.agents": "Colleagues",
  "targets.skillsets": "Skillsets",
  "targets.filter": "Filter colleagues",
  "targets.filterHelp": "Type part of a name",
  "targets.choose": "Choose",
  "targets.name": "Name",
  "targets.status": "Status",
  "targets.load": "Conversations",
  "targets.ready": "Ready",
  "targets.readyYes": "Ready",
  "targets.busy": "Busy",
  "targets.noMatch": "No colleague matches “{filter}”",
  "targets.noAgents": "No colleague to choose from",
  "targets.noSkillsets": "No skillset to choose from",
  "targets.available": "{n} available",
  "targets.refresh": "Refresh",
  "targets.loadFailed": "Could not load colleagues and skillsets: {message}",
  "transfer.open": "Transfer",
  "transfer.title": "Transfer the conversation",
  "transfer.description":
    "Hand the conversation with {name} to a colleague, a skillset or the wait queue.",
  "transfer.to": "Transfer to",
  "transfer.toAgent": "A colleague",
  "transfer.toSkillset": "A skillset",
  "transfer.toWaitQueue": "The wait queue",
  "transfer.mode": "How",
  "transfer.immediate": "Immediate",
  "transfer.immediateHelp": "If they do not accept in time, it goes to another available agent.",
  "transfer.exclusive": "Exclusive",
  "transfer.exclusiveHelp": "Only they can take it; it waits for them for up to 24 hours.",
  "transfer.waitKind": "Which wait queue",
  "transfer.public": "Public",
  "transfer.publicHelp": "The customer's next message goes to the first available agent.",
  "transfer.personal": "Personal",
  "transfer.personalHelp": "The customer's next message brings the conversation back to you.",
  "transfer.chooseAgent": "Choose a colleague.",
  "transfer.chooseSkillset": "Choose a skillset.",
  "transfer.cancel": "Cancel",
  "transfer.submit": "Transfer",
  "transfer.submitting": "Transferring…",
  "transfer.failed": "Could not transfer: {message}",
  "transfer.doneAgent": "Conversation transferred to {name}",
  "transfer.unavailableImmediate":
    "{name} is not available now ({status}): the conversation waits a little for them, then goes to another available agent.",
  "transfer.unavailableExclusive":
    "{name} is not available now ({status}): only they can take it, so it waits until they are Ready, for up to 24 hours.",
  "transfer.doneAgentWaits":
    "Conversation transferred to {name}, who is not available now: it waits for them",
  "transfer.doneAgentFallsBack":
    "Conversation transferred to {name}, who is not available now: another agent gets it if they do not",
  "transfer.doneSkillset": "Conversation transferred to the skillset {name}",
  "transfer.doneWaitQueue": "Conversation moved to your wait queue",
  "transfer.donePublic": "Conversation moved to the public wait queue",
  "conference.open": "Invite",
  "conference.title": "Invite to a conference",
  "conference.description":
    "Invite a colleague or a skillset into the conversation with {name}. You both see and write; you stay its owner.",
  "conference.to": "Invite",
  "conference.submit": "Send invitation",
  "conference.submitting": "Sending…",
  "conference.sent": "Invitation sent to {name}",
  "conference.failed": "Could not invite: {message}",
  "conference.participants": "Conference guests",
  "conference.you": "you",
  "conference.leave": "Leave conference",
  "conference.left": "You left the conference",
  "conference.leaveFailed": "Could not leave the conference: {message}",
  "nav.views": "Desk views",
  "nav.waiting": "Waiting conversations",
  "nav.waitQueue": "My wait queue",
  "nav.dashboard": "Dashboard",
  "nav.history": "My history",
  "nav.outbound": "Sent templates",
  "waiting.title": "Waiting conversations",
  "waiting.empty": "No conversation is waiting",
  "waiting.customer": "Customer",
  "waiting.number": "Number",
  "waiting.skillset": "Skillset",
  "waiting.state": "State",
  "waiting.since": "For",
  "waiting.sinceLabel": "In this state",
  "waiting.actions": "Actions",
  "waiting.refresh": "Refresh",
  "waiting.loadFailed": "Could not load the list: {message}",
  "waiting.pickUp": "Pick up",
  "waiting.pickUpLabel": "Pick up the conversation with {name}",
  "waiting.pickUpFailed": "Could not pick up: {message}",
  "waiting.refused.at_capacity":
    "you are at your limit of conversations. Close one before taking another.",
  "waiting.refused.not_waiting": "someone else took it, or it is no longer waiting.",
  "waiting.refused.not_an_agent": "your account cannot take conversations.",
  "waiting.leftOpen": "Left open by {agent}",
  "waiting.personalQueue": "Personal wait queue of {agent}",
  "waiting.publicQueue": "Public wait queue",
  "waiting.offeredTo": "Offered to {agent}",
  "waiting.transferTo": "Transfer to {agent}",
  "waitQueue.title": "My wait queue",
  "waitQueue.empty": "Your wait queue is empty",
  "waitQueue.kind": "Queue",
  "waitQueue.public": "Public",
  "waitQueue.personal": "Personal",
  "waitQueue.unpause": "Resume",
  "waitQueue.unpauseLabel": "Resume the conversation with {name}",
  "waitQueue.unpauseFailed": "Could not resume: {message}",
} as const satisfies Record<string, string>;

/** A key of the desktop's or the administration's dictionary; the type checker refuses unknown keys. */
export type MessageKey = keyof typeof en | AdminMessageKey;
type Dictionary = Record<keyof typeof en, string>;

const it: Dictionary = {
  ...messagesIt,
  ...composerIt,
  ...outboundIt,
  ...panelsIt,
  ...accountIt,
  ...chromeIt,
  "app.title": "Parley — Postazione operatore",
  "app.name": "Parley",
  "app.loading": "Caricamento…",
  "app.retry": "Riprova",
  "app.loadFailed": "Impossibile caricare: {message}",
  "app.networkError": "Errore di rete — controlla la connessione.",
  "app.unexpectedError": "Qualcosa è andato storto.",
  "app.dismiss": "Chiudi",
  "app.none": "—",

  "language.label": "Lingua",
  "language.en": "English",
  "language.it": "Italiano",

  "login.title": "Accedi",
  "login.subtitle": "Postazione operatore",
  "login.email": "E-mail",
  "login.password": "Password",
  "login.submit": "Accedi",
  "login.submitting": "Accesso in corso…",
  "login.invalid": "E-mail o password non validi",

  "header.agent": "Operatore",
  "header.logout": "Esci",
  "header.load": "Conversazioni",
  "header.loadValue": "{load} / {max}",
  "header.loadLabel": "Conversazioni: {load} su {max}",
  "header.offers": "Offerte",
  "header.offersLabel": "Offerte in attesa per te: {n}",

  "status.label": "Stato",
  "status.ready": "Pronto",
  "status.back_office": "Back office",
  "status.break": "Pausa",
  "status.rona": "RONA — offerta persa",
  "status.ronaHint": "Hai perso un'offerta. Scegli Pronto per ricevere di nuovo conversazioni.",
  "status.changeFailed": "Impossibile cambiare stato: {message}",

  "connection.live": "Connesso",
  "connection.reconnecting": "Riconnessione…",

  // Stato del servizio nell'intestazione (orario di lavoro dei numeri del tenant).
  "service.open": "Servizio aperto",
  "service.mixed": "Servizio aperto in parte",
  "service.closed": "Servizio chiuso",
  "service.unknown": "Stato del servizio non disponibile",
  "service.details": "Orario di lavoro di ciascun numero",
  "service.noNumbers": "Ancora nessun numero",
  "service.openUntil": "{name}: aperto, chiude {when}",
  "service.openNoChange": "{name}: aperto",
  "service.closedUntil": "{name}: chiuso, apre {when}",
  "service.closedNoChange": "{name}: chiuso",

  "list.title": "Le mie conversazioni",
  "list.empty": "Ancora nessuna conversazione — mettiti in stato Pronto per riceverne",
  "list.unread": "{n} non letti",
  "list.sinceLast": "Dall'ultimo messaggio del cliente",

  "state.queued": "In coda",
  "state.offered": "Offerta",
  "state.assigned": "Attiva",
  "state.closed": "Chiusa",
  "state.bot": "Sceglie un argomento",
  "state.transfer": "In attesa di trasferimento",
  "state.wait_queue": "In coda di attesa",
  "state.unauthorized": "Numero non autorizzato",
  "state.outbound": "Modello inviato, in attesa di risposta",

  "conversation.select": "Seleziona una conversazione",
  "conversation.phone": "Telefono",
  "conversation.number": "Numero",
  "conversation.skillset": "Skillset",
  "conversation.loadFailed": "Impossibile caricare la conversazione: {message}",
  "conversation.messages": "Messaggi con {name}",
  "conversation.empty": "Ancora nessun messaggio",

  "message.system": "Sistema",
  "message.notSent": "Non inviato: {message}",
  "message.retry": "Invia di nuovo",

  "tick.pending": "In attesa",
  "tick.unconfirmed": "Non confermato",
  "tick.sent": "Inviato",
  "tick.delivered": "Consegnato",
  "tick.read": "Letto",
  "tick.played": "Ascoltato",
  "tick.failed": "Non riuscito",

  "composer.label": "Messaggio",
  "composer.placeholder": "Scrivi un messaggio — Invio per inviare, Maiusc+Invio per andare a capo",
  "composer.send": "Invia",
  "composer.windowClosed":
    "Sono passate più di 24 ore dall'ultimo messaggio del cliente: ora WhatsApp consente solo i template.",
  "composer.count": "{n}/{max}",
  "composer.countLabel": "{n} caratteri su {max}",

  "close.button": "Chiudi conversazione",
  "close.title": "Chiudi conversazione",
  "close.description": "La conversazione con {name} verrà chiusa. Per quale motivo?",
  "close.reason": "Motivo della chiusura",
  "close.reasonHelp": 'Massimo {max} caratteri; "Closed" se lasciato vuoto.',
  "close.required": "Scegli un motivo di chiusura.",
  "close.confirm": "Chiudi conversazione",
  "close.closing": "Chiusura in corso…",
  "close.cancel": "Annulla",
  "close.failed": "Impossibile chiudere la conversazione: {message}",
  "close.done": "Conversazione chiusa",
  // Chiusura con l'albero di profilazione del numero.
  "close.reasonOptional": "facoltativo",
  "close.optionsFailed": "Impossibile caricare i motivi di chiusura: {message}",
  "close.level1": "Motivo",
  "close.detail": "Motivo più specifico",
  "close.choose": "Scegli…",
  "close.search": "Cerca un motivo",
  "close.searchHelp": "Scrivi parole di qualsiasi livello; ↓ per scorrere i risultati.",
  "close.noHits": "Nessun motivo corrisponde.",
  "close.hits": "{n} motivi corrispondenti",
  "close.chosen": "Scelto: {path}",
  "close.moreSpecific": "Scegli un motivo più specifico.",
  "close.requiredHelp": "Il motivo di chiusura è obbligatorio.",
  "close.optionalHelp": "Puoi chiudere senza scegliere un motivo.",
  "close.notesNotAllowed": "Le note non sono ammesse con questo motivo.",
  "close.notesAfterReason": "Se le note sono ammesse dipende dal motivo.",

  "offers.title": "Conversazioni in arrivo",
  "offer.heading": "Nuova conversazione",
  "offer.phone": "Telefono",
  "offer.number": "Numero",
  "offer.skillset": "Skillset",
  "offer.waiting": "In attesa da",
  "offer.expires": "Scade tra",
  "offer.accept": "Accetta",
  "offer.accepting": "Accettazione…",
  "offer.acceptLabel": "Accetta la conversazione con {name}",
  "offer.gone": "La conversazione non è più disponibile.",
  "offer.failed": "Impossibile accettare: {message}",

  // ---- Conversation lifecycle: offers by kind, transfer, conference, waiting lists ----
  "offer.transfer": "Trasferimento",
  "offer.transferFrom": "Trasferimento da {name}",
  "offer.conference": "Invito in conferenza",
  "offer.conferenceFrom": "Invito in conferenza da {name}",
  "status.offline": "Non connesso",
  "targets.agents": "Colleghi",
  "targets.skillsets": "Skillset",
  "targets.filter": "Filtra i colleghi",
  "targets.filterHelp": "Scrivi parte di un nome",
  "targets.choose": "Scegli",
  "targets.name": "Nome",
  "targets.status": "Stato",
  "targets.load": "Conversazioni",
  "targets.ready": "Disponibile",
  "targets.readyYes": "Disponibile",
  "targets.busy": "Occupato",
  "targets.noMatch": "Nessun collega corrisponde a “{filter}”",
  "targets.noAgents": "Nessun collega da scegliere",
  "targets.noSkillsets": "Nessuno skillset da scegliere",
  "targets.available": "{n} disponibili",
  "targets.refresh": "Aggiorna",
  "targets.loadFailed": "Impossibile caricare colleghi e skillset: {message}",
  "transfer.open": "Trasferisci",
  "transfer.title": "Trasferisci la conversazione",
  "transfer.description":
    "Passa la conversazione con {name} a un collega, a uno skillset o alla coda di attesa.",
  "transfer.to": "Trasferisci a",
  "transfer.toAgent": "Un collega",
  "transfer.toSkillset": "Uno skillset",
  "transfer.toWaitQueue": "La coda di attesa",
  "transfer.mode": "Modalità",
  "transfer.immediate": "Immediato",
  "transfer.immediateHelp": "Se non accetta in tempo, passa a un altro operatore disponibile.",
  "transfer.exclusive": "Esclusivo",
  "transfer.exclusiveHelp": "Solo questo collega può prenderla; lo aspetta fino a 24 ore.",
  "transfer.waitKind": "Quale coda di attesa",
  "transfer.public": "Pubblica",
  "transfer.publicHelp": "Il prossimo messaggio del cliente va al primo operatore disponibile.",
  "transfer.personal": "Personale",
  "transfer.personalHelp": "Il prossimo messaggio del cliente riporta la conversazione a te.",
  "transfer.chooseAgent": "Scegli un collega.",
  "transfer.chooseSkillset": "Scegli uno skillset.",
  "transfer.cancel": "Annulla",
  "transfer.submit": "Trasferisci",
  "transfer.submitting": "Trasferimento…",
  "transfer.failed": "Impossibile trasferire: {message}",
  "transfer.doneAgent": "Conversazione trasferita a {name}",
  "transfer.unavailableImmediate":
    "{name} ora non è disponibile ({status}): la conversazione lo aspetta per poco, poi va a un altro operatore disponibile.",
  "transfer.unavailableExclusive":
    "{name} ora non è disponibile ({status}): solo lui o lei può prenderla, quindi aspetta che sia Pronto, fino a 24 ore.",
  "transfer.doneAgentWaits":
    "Conversazione trasferita a {name}, ora non disponibile: resta in attesa per lui o lei",
  "transfer.doneAgentFallsBack":
    "Conversazione trasferita a {name}, ora non disponibile: se non la prende, va a un altro operatore",
  "transfer.doneSkillset": "Conversazione trasferita allo skillset {name}",
  "transfer.doneWaitQueue": "Conversazione spostata nella tua coda di attesa",
  "transfer.donePublic": "Conversazione spostata nella coda di attesa pubblica",
  "conference.open": "Invita",
  "conference.title": "Invita in conferenza",
  "conference.description":
    "Invita un collega o uno skillset nella conversazione con {name}. Entrambi vedete e scrivete; la conversazione resta tua.",
  "conference.to": "Invita",
  "conference.submit": "Invia invito",
  "conference.submitting": "Invio…",
  "conference.sent": "Invito inviato a {name}",
  "conference.failed": "Impossibile invitare: {message}",
  "conference.participants": "Ospiti della conferenza",
  "conference.you": "tu",
  "conference.leave": "Lascia la conferenza",
  "conference.left": "Hai lasciato la conferenza",
  "conference.leaveFailed": "Impossibile lasciare la conferenza: {message}",
  "nav.views": "Viste della postazione",
  "nav.waiting": "Conversazioni in attesa",
  "nav.waitQueue": "La mia coda di attesa",
  "nav.dashboard": "Cruscotto",
  "nav.history": "Il mio storico",
  "nav.outbound": "Modelli inviati",
  "waiting.title": "Conversazioni in attesa",
  "waiting.empty": "Nessuna conversazione in attesa",
  "waiting.customer": "Cliente",
  "waiting.number": "Numero",
  "waiting.skillset": "Skillset",
  "waiting.state": "Stato",
  "waiting.since": "Da",
  "waiting.sinceLabel": "In questo stato",
  "waiting.actions": "Azioni",
  "waiting.refresh": "Aggiorna",
  "waiting.loadFailed": "Impossibile caricare l'elenco: {message}",
  "waiting.pickUp": "Prendi in carico",
  "waiting.pickUpLabel": "Prendi in carico la conversazione con {name}",
  "waiting.pickUpFailed": "Impossibile prendere in carico: {message}",
  "waiting.refused.at_capacity":
    "hai raggiunto il tuo limite di conversazioni. Chiudine una prima di prenderne un'altra.",
  "waiting.refused.not_waiting": "l'ha già presa qualcun altro, oppure non è più in attesa.",
  "waiting.refused.not_an_agent": "il tuo account non può prendere conversazioni.",
  "waiting.leftOpen": "Lasciata aperta da {agent}",
  "waiting.personalQueue": "Coda di attesa personale di {agent}",
  "waiting.publicQueue": "Coda di attesa pubblica",
  "waiting.offeredTo": "Offerta a {agent}",
  "waiting.transferTo": "In trasferimento a {agent}",
  "waitQueue.title": "La mia coda di attesa",
  "waitQueue.empty": "La tua coda di attesa è vuota",
  "waitQueue.kind": "Coda",
  "waitQueue.public": "Pubblica",
  "waitQueue.personal": "Personale",
  "waitQueue.unpause": "Riprendi",
  "waitQueue.unpauseLabel": "Riprendi la conversazione con {name}",
  "waitQueue.unpauseFailed": "Impossibile riprendere: {message}",
};

// The administration's strings live in their own module; both share one translator.
const dictionaries: Record<Language, Record<MessageKey, string>> = {
  en: { ...en, ...adminEn },
  it: { ...it, ...adminIt },
};

/** The desktop's own English keys, so a test can prove the admin keys never shadow them. */
export const DESKTOP_KEYS: readonly string[] = Object.keys(en);

/** The languages offered in the language selects, in display order. */
export const LANGUAGES: readonly Language[] = ["en", "it"];

export type Params = Readonly<Record<string, string | number>>;
/** Looks up a string and fills its `{name}` placeholders. */
export type Translate = (key: MessageKey, params?: Params) => string;

/** Builds the translate function for one language. Unknown placeholders are left as typed. */
export function translator(language: Language): Translate {
  const dictionary = dictionaries[language];
  return (key, params) => {
    const text = dictionary[key];
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      return value === undefined ? whole : String(value);
    });
  };
}

/** `value` if it is a language we speak, else null. */
export function parseLanguage(value: string | null | undefined): Language | null {
  return value === "en" || value === "it" ? value : null;
}

const STORAGE_KEY = "parley.language";

/** The language to start with: the last one chosen on this browser, else the browser's own. */
export function initialLanguage(): Language {
  try {
    const stored = parseLanguage(localStorage.getItem(STORAGE_KEY));
    if (stored) return stored;
  } catch {
    // Storage can be disabled; fall through to the browser's preference.
  }
  const preferred = typeof navigator === "undefined" ? [] : navigator.languages;
  for (const tag of preferred) {
    const language = parseLanguage(tag.slice(0, 2).toLowerCase());
    if (language) return language;
  }
  return "en";
}

/** Remembers the language on this browser and tells assistive tech via `<html lang>`. */
export function rememberLanguage(language: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Not fatal: the server keeps the language after login.
  }
  document.documentElement.lang = language;
}

/** Local time of day, with the date when it is not today. */
export function formatTime(language: Language, epochMs: number, nowMs = Date.now()): string {
  const date = new Date(epochMs);
  const sameDay = new Date(nowMs).toDateString() === date.toDateString();
  return new Intl.DateTimeFormat(
    language,
    sameDay ? { timeStyle: "short" } : { dateStyle: "short", timeStyle: "short" },
  ).format(date);
}

/** A running clock for a duration: `m:ss`, or `h:mm:ss` past the hour. Negative counts as 0. */
export function formatClock(durationMs: number): string {
  const totalSeconds = Math.max(0, Math.floor(durationMs / 1000));
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const ss = String(seconds).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${ss}` : `${minutes}:${ss}`;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Time since a moment, as a waiting clock reads it: `m:ss`, then `h:mm:ss` within
 * the day, then days and hours ("3d 4h", "3g 4h") within the week, then the date
 * ("12 Nov", with the year when it is not this one) — never "95134:10:16".
 */
export function formatElapsed(
  language: Language,
  since: number,
  nowMs: number = Date.now(),
): string {
  const duration = Math.max(0, nowMs - since);
  if (duration < DAY_MS) return formatClock(duration);
  if (duration < 7 * DAY_MS) {
    const unit = (unit: "day" | "hour", n: number) =>
      new Intl.NumberFormat(language, { style: "unit", unit, unitDisplay: "narrow" }).format(n);
    const days = Math.floor(duration / DAY_MS);
    const hours = Math.floor((duration % DAY_MS) / HOUR_MS);
    return hours > 0 ? `${unit("day", days)} ${unit("hour", hours)}` : unit("day", days);
  }
  const then = new Date(since);
  const sameYear = then.getFullYear() === new Date(nowMs).getFullYear();
  return new Intl.DateTimeFormat(language, {
    day: "numeric",
    month: "short",
    ...(sameYear ? {} : { year: "numeric" }),
  }).format(then);
}

/** The same duration in words for screen readers and tooltips ("3 minutes ago", "in 20 seconds"). */
export function formatRelative(language: Language, deltaMs: number): string {
  const format = new Intl.RelativeTimeFormat(language, { numeric: "auto" });
  const seconds = Math.round(deltaMs / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return format.format(seconds, "second");
  if (abs < 3600) return format.format(Math.round(seconds / 60), "minute");
  if (abs < 86_400) return format.format(Math.round(seconds / 3600), "hour");
  return format.format(Math.round(seconds / 86_400), "day");
}

/** What components need to speak the user's language. */
export interface I18n {
  language: Language;
  t: Translate;
  setLanguage: (language: Language) => void;
}

export const I18nContext = createContext<I18n>({
  language: "en",
  t: translator("en"),
  setLanguage: () => {},
});

/** The current language, its translate function, and the setter. */
export function useI18n(): I18n {
  return useContext(I18nContext);
}
