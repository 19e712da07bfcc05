/**
 * The desktop's strings for one area (account), in English and Italian; merged into the
 * desktop's dictionary by `src/ui/i18n.ts`. Keys are prefixed by the area's screens.
 */
export const accountEn = {} as const satisfies Record<string, string>;

export const accountIt: Record<keyof typeof accountEn, string> = {};
