/**
 * The administration's code loads on first use, so agents (and admins at the desk)
 * never download it.
 */
import { lazyScreen } from "../components/lazy.tsx";

export const LazyAdmin = lazyScreen(() => import("./AdminApp.tsx"));
