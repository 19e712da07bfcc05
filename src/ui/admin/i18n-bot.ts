/**
 * The number editor's softbot tab, in English and Italian: the menu's settings, the
 * preview of what the customer gets, and its warnings.
 */

export const botEn = {
  "numberTab.bot": "Softbot",
  "bot.settings": "Softbot",
  "bot.enabled": "Ask customers what they need before routing",
  "bot.enabledHint":
    "New conversations get a menu of this number's skillsets that have a softbot label. Customers marked “Bypass the bot” or with a default skillset of this number skip it.",
  "bot.prompt": "Menu question",
  "bot.promptHint": "Sent with the options, e.g. “Hello! What do you need?”.",
  "bot.style": "How the options are shown",
  "bot.style.text": "Numbered text (the customer replies with a number)",
  "bot.style.buttons": "Reply buttons (at most 3 options)",
  "bot.style.list": "List (at most 10 options)",
  "bot.invalidChoice": "After an answer that matches no option",
  "bot.invalidChoiceHint":
    "Sent before the menu is repeated. Leave it empty to repeat the menu alone.",
  "bot.timeoutSeconds": "Time to choose",
  "bot.timeoutSecondsHint":
    "10 to 86,400 seconds (24 hours). Without a valid answer in time, the conversation goes to the default skillset.",
  "bot.preview": "What the customer gets",
  "bot.previewHint":
    "The skillsets of this number that have a softbot label, higher priority first. Labels are edited with each skillset.",
  "bot.previewOff": "The softbot is off: conversations are routed without this menu.",
  "bot.previewFailed": "Could not load the skillsets: {message}",
  "bot.optionOf": "goes to {name}",
  "bot.warn.noOptions":
    "No skillset of this number has a softbot label, so the menu has no options.",
  "bot.warn.tooManyOptions":
    "This style shows at most {max} options, but {count} skillsets have a softbot label. Choose another style or remove some labels.",
  "bot.warn.titleTooLong":
    "“{label}” is longer than the {max} characters a reply button shows. Shorten the label or choose another style.",
  "bot.warn.noDefault":
    "This number has no default skillset: a customer who does not choose in time is offered to its skillsets in priority order.",
  "bot.editLabels": "Edit softbot labels in the Skillsets tab",
} as const satisfies Record<string, string>;

export const botIt: Record<keyof typeof botEn, string> = {
  "numberTab.bot": "Softbot",
  "bot.settings": "Softbot",
  "bot.enabled": "Chiedi ai clienti di cosa hanno bisogno prima dello smistamento",
  "bot.enabledHint":
    "Le nuove conversazioni ricevono un menu degli skillset di questo numero che hanno un'etichetta del softbot. I clienti con “Salta il bot” o con uno skillset predefinito di questo numero non lo ricevono.",
  "bot.prompt": "Domanda del menu",
  "bot.promptHint": "Inviata con le opzioni, es. “Ciao! Di cosa hai bisogno?”.",
  "bot.style": "Come vengono mostrate le opzioni",
  "bot.style.text": "Testo numerato (il cliente risponde con un numero)",
  "bot.style.buttons": "Pulsanti di risposta (al massimo 3 opzioni)",
  "bot.style.list": "Elenco (al massimo 10 opzioni)",
  "bot.invalidChoice": "Dopo una risposta che non corrisponde a nessuna opzione",
  "bot.invalidChoiceHint":
    "Inviato prima di ripetere il menu. Lascialo vuoto per ripetere solo il menu.",
  "bot.timeoutSeconds": "Tempo per scegliere",
  "bot.timeoutSecondsHint":
    "Da 10 a 86.400 secondi (24 ore). Senza una risposta valida in tempo, la conversazione va allo skillset predefinito.",
  "bot.preview": "Cosa riceve il cliente",
  "bot.previewHint":
    "Gli skillset di questo numero con un'etichetta del softbot, prima quelli a priorità più alta. Le etichette si modificano in ciascuno skillset.",
  "bot.previewOff":
    "Il softbot è disattivato: le conversazioni vengono smistate senza questo menu.",
  "bot.previewFailed": "Impossibile caricare gli skillset: {message}",
  "bot.optionOf": "va a {name}",
  "bot.warn.noOptions":
    "Nessuno skillset di questo numero ha un'etichetta del softbot, quindi il menu non ha opzioni.",
  "bot.warn.tooManyOptions":
    "Questo stile mostra al massimo {max} opzioni, ma {count} skillset hanno un'etichetta del softbot. Scegli un altro stile o togli alcune etichette.",
  "bot.warn.titleTooLong":
    "“{label}” supera i {max} caratteri che un pulsante di risposta mostra. Accorcia l'etichetta o scegli un altro stile.",
  "bot.warn.noDefault":
    "Questo numero non ha uno skillset predefinito: un cliente che non sceglie in tempo viene offerto ai suoi skillset in ordine di priorità.",
  "bot.editLabels": "Modifica le etichette del softbot nella scheda Skillset",
};
