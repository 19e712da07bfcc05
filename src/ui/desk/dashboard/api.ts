/** The dashboard's API (GET /api/dashboard), validated against the shared schema. */
import { DashboardView } from "../../../shared/dashboard.ts";
import { request } from "../../api.ts";

/** Today's figures of the caller's tenant. */
export const fetchDashboard = () => request("/api/dashboard", DashboardView);
