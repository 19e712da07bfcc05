/**
 * The desktop's strings for one area (chrome), in English and Italian; merged into the
 * desktop's dictionary by `src/ui/i18n.ts`. Keys are prefixed by the area's screens.
 */
export const chromeEn = {} as const satisfies Record<string, string>;

export const chromeIt: Record<keyof typeof chromeEn, string> = {};
