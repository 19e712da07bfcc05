/**
 * The admin framework: routing, API helpers, list and form building blocks. Screens
 * import from here only.
 */
export * from "./AdminForm.tsx";
export * from "./AdminShell.tsx";
export * from "./adminApi.ts";
export * from "./ConfirmDialog.tsx";
export * from "./context.ts";
export * from "./DeleteRecord.tsx";
export * from "./errors.ts";
export * from "./fields.tsx";
export * from "./LinkTabs.tsx";
export * from "./ListView.tsx";
export * from "./MembershipEditor.tsx";
export * from "./membership.ts";
export * from "./query.ts";
export * from "./route.ts";
export * from "./router.tsx";
export * from "./states.tsx";
export * from "./useLoadedRecord.ts";
export * from "./useOptions.ts";
export * from "./useRecordForm.ts";
