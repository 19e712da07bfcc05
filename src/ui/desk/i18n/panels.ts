/**
 * The desktop's strings for one area (panels), in English and Italian; merged into the
 * desktop's dictionary by `src/ui/i18n.ts`. Keys are prefixed by the area's screens.
 */
export const panelsEn = {} as const satisfies Record<string, string>;

export const panelsIt: Record<keyof typeof panelsEn, string> = {};
