/**
 * My history: the conversations I closed in the last four weeks, filtered by date. Its
 * code loads on first use, so the desktop's first download does not grow.
 */
import { lazyScreen } from "../../components/lazy.tsx";

export const MyHistoryView = lazyScreen(() => import("./MyHistoryScreen.tsx"));
