/**
 * The desktop's strings for one area (messages), in English and Italian; merged into the
 * desktop's dictionary by `src/ui/i18n.ts`. Keys are prefixed by the area's screens.
 */
export const messagesEn = {} as const satisfies Record<string, string>;

export const messagesIt: Record<keyof typeof messagesEn, string> = {};
