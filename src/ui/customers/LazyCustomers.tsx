/**
 * The agents' customer pages load on first use, so the desktop's first download
 * does not grow.
 */
import { lazyScreen } from "../components/lazy.tsx";

export const LazyCustomers = lazyScreen(() => import("./CustomersApp.tsx"));
