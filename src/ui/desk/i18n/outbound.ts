/**
 * The desktop's strings for one area (outbound), in English and Italian; merged into the
 * desktop's dictionary by `src/ui/i18n.ts`. Keys are prefixed by the area's screens.
 */
export const outboundEn = {
  "outbound.title": "Sent templates",
  "outbound.intro":
    "Templates you sent that the customer has not answered yet. When they answer, the conversation moves to your conversations.",
  "outbound.start": "Start a conversation",
  "outbound.refresh": "Refresh",
  "outbound.loadFailed": "Could not load your sent templates: {message}",
  "outbound.empty": "No templates waiting for an answer.",
  "outbound.customer": "Customer",
  "outbound.number": "Number",
  "outbound.template": "Template",
  "outbound.sent": "Sent",
  "outbound.tick": "Delivery",
  "outbound.sentTemplate": "Template sent to {name}. It waits here until they answer.",
  "outbound.noTick": "Not sent yet",
  "outbound.actions": "Actions",
  "outbound.withdraw": "Withdraw",
  "outbound.withdrawLabel": "Withdraw the template sent to {name}",
  "outbound.withdrawn": "Template to {name} withdrawn: the conversation is closed.",
  "outbound.withdrawFailed": "Could not withdraw: {message}",

  "outbound.dialogTitle": "Start a conversation",
  "outbound.dialogHelp":
    "Pick a customer. Those with a green tick wrote in the last 24 hours: you may send them a free message or a template. Others receive templates only.",
  "outbound.search": "Customer",
  "outbound.searchHelp": "Search by name or phone",
  "outbound.searching": "Searching…",
  "outbound.searchFailed": "Could not search customers: {message}",
  "outbound.noCustomers": "No customer matches.",
  "outbound.windowOpen": "Wrote in the last 24 hours",
  "outbound.notAuthorized": "Not authorised",
  "outbound.notAuthorizedHelp":
    "This customer has not authorised contact: no template can be sent to them.",
  "outbound.choose": "Choose",
  "outbound.chooseLabel": "Choose {name}",
  "outbound.change": "Change customer",
  "outbound.chosen": "To: {name}",
  "outbound.numberLabel": "From number",
  "outbound.openByOther":
    "{agent} already has a conversation open with this customer on this number.",
  "outbound.openByMe":
    "You already have a conversation with this customer: the message goes into it.",
  "outbound.openWaiting":
    "This customer's conversation on this number is waiting for an agent: pick it up from Waiting.",
  "outbound.kind": "Message",
  "outbound.kindText": "Free message",
  "outbound.kindTextHelp": "Only within 24 hours of the customer's last message.",
  "outbound.kindTextClosed": "The customer has not written in the last 24 hours: templates only.",
  "outbound.kindTemplate": "Template",
  "outbound.kindTemplateHelp": "An approved template, with its variables filled in.",
  "outbound.text": "Your message",
  "outbound.templateLabel": "Template",
  "outbound.templatePick": "Choose a template",
  "outbound.templatesLoading": "Loading templates…",
  "outbound.templatesFailed": "Could not load the templates: {message}",
  "outbound.noTemplates": "No approved template for this number.",
  "outbound.templatesDisallowed": "Your administrator does not let agents send templates.",
  "outbound.headerVariable": "Header {{1}}",
  "outbound.bodyVariable": "Body {{{n}}}",
  "outbound.preview": "Preview",
  "outbound.quickReplies": "Quick replies the customer can tap",
  "outbound.required": "Fill in this variable",
  "outbound.pickCustomer": "Choose a customer first",
  "outbound.pickTemplate": "Choose a template",
  "outbound.send": "Send",
  "outbound.sending": "Sending…",
  "outbound.cancel": "Cancel",
  "outbound.error.at_capacity":
    "You are at your limit of conversations: close one before starting another.",
  "outbound.error.already_open":
    "Another agent already has a conversation open with this customer on this number.",
  "outbound.error.waiting":
    "This customer's conversation is waiting for an agent: pick it up from Waiting.",
  "outbound.error.awaiting_reply":
    "The customer has not answered your template yet: only another template can be sent.",
  "outbound.error.window_closed":
    "The customer has not written in the last 24 hours: only a template can be sent.",
  "outbound.error.not_authorized":
    "The customer has not authorised contact: templates cannot be sent to them.",
  "outbound.error.templates_disallowed": "Your administrator does not let agents send templates.",
} as const satisfies Record<string, string>;

export const outboundIt: Record<keyof typeof outboundEn, string> = {
  "outbound.title": "Modelli inviati",
  "outbound.intro":
    "I modelli che hai inviato e a cui il cliente non ha ancora risposto. Quando risponde, la conversazione passa tra le tue conversazioni.",
  "outbound.start": "Avvia una conversazione",
  "outbound.refresh": "Aggiorna",
  "outbound.loadFailed": "Impossibile caricare i modelli inviati: {message}",
  "outbound.empty": "Nessun modello in attesa di risposta.",
  "outbound.customer": "Cliente",
  "outbound.number": "Numero",
  "outbound.template": "Modello",
  "outbound.sent": "Inviato",
  "outbound.tick": "Consegna",
  "outbound.sentTemplate": "Modello inviato a {name}. Resta qui finché non risponde.",
  "outbound.noTick": "Non ancora inviato",
  "outbound.actions": "Azioni",
  "outbound.withdraw": "Ritira",
  "outbound.withdrawLabel": "Ritira il modello inviato a {name}",
  "outbound.withdrawn": "Modello a {name} ritirato: la conversazione è chiusa.",
  "outbound.withdrawFailed": "Impossibile ritirare: {message}",

  "outbound.dialogTitle": "Avvia una conversazione",
  "outbound.dialogHelp":
    "Scegli un cliente. Chi ha la spunta verde ha scritto nelle ultime 24 ore: puoi inviargli un messaggio libero o un modello. Agli altri solo modelli.",
  "outbound.search": "Cliente",
  "outbound.searchHelp": "Cerca per nome o telefono",
  "outbound.searching": "Ricerca in corso…",
  "outbound.searchFailed": "Impossibile cercare i clienti: {message}",
  "outbound.noCustomers": "Nessun cliente corrisponde.",
  "outbound.windowOpen": "Ha scritto nelle ultime 24 ore",
  "outbound.notAuthorized": "Non autorizzato",
  "outbound.notAuthorizedHelp":
    "Questo cliente non ha autorizzato il contatto: non gli si possono inviare modelli.",
  "outbound.choose": "Scegli",
  "outbound.chooseLabel": "Scegli {name}",
  "outbound.change": "Cambia cliente",
  "outbound.chosen": "A: {name}",
  "outbound.numberLabel": "Dal numero",
  "outbound.openByOther":
    "{agent} ha già una conversazione aperta con questo cliente su questo numero.",
  "outbound.openByMe": "Hai già una conversazione con questo cliente: il messaggio va lì.",
  "outbound.openWaiting":
    "La conversazione di questo cliente su questo numero attende un operatore: prendila da In attesa.",
  "outbound.kind": "Messaggio",
  "outbound.kindText": "Messaggio libero",
  "outbound.kindTextHelp": "Solo entro 24 ore dall'ultimo messaggio del cliente.",
  "outbound.kindTextClosed": "Il cliente non ha scritto nelle ultime 24 ore: solo modelli.",
  "outbound.kindTemplate": "Modello",
  "outbound.kindTemplateHelp": "Un modello approvato, con le variabili compilate.",
  "outbound.text": "Il tuo messaggio",
  "outbound.templateLabel": "Modello",
  "outbound.templatePick": "Scegli un modello",
  "outbound.templatesLoading": "Caricamento dei modelli…",
  "outbound.templatesFailed": "Impossibile caricare i modelli: {message}",
  "outbound.noTemplates": "Nessun modello approvato per questo numero.",
  "outbound.templatesDisallowed":
    "L'amministratore non consente agli operatori di inviare modelli.",
  "outbound.headerVariable": "Intestazione {{1}}",
  "outbound.bodyVariable": "Corpo {{{n}}}",
  "outbound.preview": "Anteprima",
  "outbound.quickReplies": "Risposte rapide che il cliente può toccare",
  "outbound.required": "Compila questa variabile",
  "outbound.pickCustomer": "Scegli prima un cliente",
  "outbound.pickTemplate": "Scegli un modello",
  "outbound.send": "Invia",
  "outbound.sending": "Invio…",
  "outbound.cancel": "Annulla",
  "outbound.error.at_capacity":
    "Hai raggiunto il limite di conversazioni: chiudine una prima di avviarne un'altra.",
  "outbound.error.already_open":
    "Un altro operatore ha già una conversazione aperta con questo cliente su questo numero.",
  "outbound.error.waiting":
    "La conversazione di questo cliente attende un operatore: prendila da In attesa.",
  "outbound.error.awaiting_reply":
    "Il cliente non ha ancora risposto al tuo modello: puoi inviare solo un altro modello.",
  "outbound.error.window_closed":
    "Il cliente non ha scritto nelle ultime 24 ore: puoi inviare solo un modello.",
  "outbound.error.not_authorized":
    "Il cliente non ha autorizzato il contatto: non gli si possono inviare modelli.",
  "outbound.error.templates_disallowed":
    "L'amministratore non consente agli operatori di inviare modelli.",
};
