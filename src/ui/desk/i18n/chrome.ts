/**
 * The desktop's strings for one area (chrome: the service status dialog, notifications,
 * shortcuts, the header's menu and the conversation drawer), in English and Italian;
 * merged into the desktop's dictionary by `src/ui/i18n.ts`. Keys are prefixed by the
 * area's screens.
 */
export const chromeEn = {
  "serviceDialog.title": "Service status",
  "serviceDialog.close": "Close",
  "serviceDialog.hoursFailed": "Could not load today's hours: {message}",
  "serviceDialog.alwaysOpen": "Open 24 hours, every day",
  "serviceDialog.closedToday": "Closed all day today",
  "serviceDialog.holidayToday": "Closed today: holiday",
  "serviceDialog.holidayNamed": "Closed today: {name}",
  "serviceDialog.todayRanges": "Today {ranges}",
  "serviceDialog.holidays": "Holidays: {list}",

  "notify.settings": "Notifications",
  "notify.settingsTitle": "Notifications for new conversations and messages",
  "notify.browser": "Browser notifications",
  "notify.sound": "Sound",
  "notify.denied":
    "The browser blocks notifications for this site. Allow them in the site settings (the icon left of the address) and try again.",
  "notify.unsupported": "This browser cannot show notifications.",
  "notify.hint": "Also when the desk is in another tab or window.",
  "notify.offerBody": "{number} · {queue}",
  "notify.messageTitle": "New message from {name}",

  "convList.sinceUnread": "Unread for",
  "convList.toggleLabel": "Show or hide my conversations",

  "deskMenu.open": "Menu",

  "shortcuts.title": "Keyboard shortcuts",
  "shortcuts.open": "Shortcuts",
  "shortcuts.close": "Close",
  "shortcuts.intro": "Shortcuts with Alt or Ctrl work anywhere, also while typing.",
  "shortcuts.key": "Keys",
  "shortcuts.action": "Action",
  "shortcuts.next": "Next conversation",
  "shortcuts.previous": "Previous conversation",
  "shortcuts.nth": "Open conversation 1 to 9",
  "shortcuts.accept": "Accept the oldest offer",
  "shortcuts.send": "Send the message (in the reply box)",
  "shortcuts.newline": "New line (in the reply box)",
  "shortcuts.close_": "Close the current conversation",
  "shortcuts.reply": "Go to the reply box",
  "shortcuts.waiting": "Waiting conversations",
  "shortcuts.help": "This list of shortcuts",
} as const satisfies Record<string, string>;

export const chromeIt: Record<keyof typeof chromeEn, string> = {
  "serviceDialog.title": "Stato del servizio",
  "serviceDialog.close": "Chiudi",
  "serviceDialog.hoursFailed": "Impossibile caricare gli orari di oggi: {message}",
  "serviceDialog.alwaysOpen": "Aperto 24 ore su 24, tutti i giorni",
  "serviceDialog.closedToday": "Chiuso tutto il giorno oggi",
  "serviceDialog.holidayToday": "Chiuso oggi: festività",
  "serviceDialog.holidayNamed": "Chiuso oggi: {name}",
  "serviceDialog.todayRanges": "Oggi {ranges}",
  "serviceDialog.holidays": "Festività: {list}",

  "notify.settings": "Notifiche",
  "notify.settingsTitle": "Notifiche per nuove conversazioni e messaggi",
  "notify.browser": "Notifiche del browser",
  "notify.sound": "Suono",
  "notify.denied":
    "Il browser blocca le notifiche per questo sito. Consentile nelle impostazioni del sito (l'icona a sinistra dell'indirizzo) e riprova.",
  "notify.unsupported": "Questo browser non può mostrare notifiche.",
  "notify.hint": "Anche quando il desk è in un'altra scheda o finestra.",
  "notify.offerBody": "{number} · {queue}",
  "notify.messageTitle": "Nuovo messaggio da {name}",

  "convList.sinceUnread": "Non letto da",
  "convList.toggleLabel": "Mostra o nascondi le mie conversazioni",

  "deskMenu.open": "Menu",

  "shortcuts.title": "Scorciatoie da tastiera",
  "shortcuts.open": "Scorciatoie",
  "shortcuts.close": "Chiudi",
  "shortcuts.intro": "Le scorciatoie con Alt o Ctrl funzionano ovunque, anche mentre scrivi.",
  "shortcuts.key": "Tasti",
  "shortcuts.action": "Azione",
  "shortcuts.next": "Conversazione successiva",
  "shortcuts.previous": "Conversazione precedente",
  "shortcuts.nth": "Apri la conversazione da 1 a 9",
  "shortcuts.accept": "Accetta l'offerta più vecchia",
  "shortcuts.send": "Invia il messaggio (nella casella di risposta)",
  "shortcuts.newline": "A capo (nella casella di risposta)",
  "shortcuts.close_": "Chiudi la conversazione corrente",
  "shortcuts.reply": "Vai alla casella di risposta",
  "shortcuts.waiting": "Conversazioni in attesa",
  "shortcuts.help": "Questo elenco di scorciatoie",
};
