/**
 * The desktop's strings for one area (composer), in English and Italian; merged into the
 * desktop's dictionary by `src/ui/i18n.ts`. Keys are prefixed by the area's screens.
 */
export const composerEn = {} as const satisfies Record<string, string>;

export const composerIt: Record<keyof typeof composerEn, string> = {};
