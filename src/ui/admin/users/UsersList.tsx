/** The tenant's users: agents and administrators, with their invitation state. */
import { UserView } from "../../../shared/admin.ts";
import { useI18n } from "../../i18n.ts";
import { formatDate } from "../format.ts";
import { type Column, ListView, pathOf } from "../kit/index.ts";
import { userState } from "./drafts.ts";
import { UserStateBadge } from "./UserStateBadge.tsx";

export function UsersList() {
  const { t, language } = useI18n();
  const columns: Column<UserView>[] = [
    { key: "name", label: t("user.name"), sort: "name", render: (u) => u.name },
    { key: "email", label: t("user.email"), sort: "email", render: (u) => u.email },
    { key: "role", label: t("user.role"), sort: "role", render: (u) => t(`role.${u.role}`) },
    {
      key: "state",
      label: t("user.state"),
      render: (u) => <UserStateBadge state={userState(u)} />,
    },
    {
      key: "skillsets",
      label: t("user.memberships"),
      render: (u) => u.memberships.map((m) => m.skillsetName).join(", ") || t("app.none"),
    },
    {
      key: "createdAt",
      label: t("admin.createdAt"),
      sort: "createdAt",
      render: (u) => formatDate(language, u.createdAt),
    },
  ];
  return (
    <ListView
      title={t("nav.users")}
      resource="users"
      item={UserView}
      columns={columns}
      defaultSort="name"
      href={(u) => pathOf("admin", "users", u.id)}
      label={(u) => u.name}
      newHref="/admin/users/new"
      newLabel={t("user.invite")}
      emptyText={t("user.empty")}
    />
  );
}
