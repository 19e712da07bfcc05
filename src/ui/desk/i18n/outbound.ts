/**
 * The desktop's strings for one area (outbound), in English and Italian; merged into the
 * desktop's dictionary by `src/ui/i18n.ts`. Keys are prefixed by the area's screens.
 */
export const outboundEn = {} as const satisfies Record<string, string>;

export const outboundIt: Record<keyof typeof outboundEn, string> = {};
