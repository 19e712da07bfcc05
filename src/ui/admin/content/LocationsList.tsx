/** The tenant's predefined locations, each with a link to see it on the map. */
import { LocationView } from "../../../shared/admin.ts";
import { useI18n } from "../../i18n.ts";
import { type Column, ListView, pathOf } from "../kit/index.ts";
import { mapUrl } from "./map.ts";

export function LocationsList() {
  const { t, language } = useI18n();
  const number = new Intl.NumberFormat(language, { maximumFractionDigits: 6 });
  const columns: Column<LocationView>[] = [
    { key: "name", label: t("locations.name"), sort: "name", render: (l) => l.name },
    {
      key: "address",
      label: t("locations.address"),
      sort: "address",
      render: (l) => l.address || t("app.none"),
    },
    {
      key: "coordinates",
      label: t("locations.coordinates"),
      render: (l) => (
        <a
          href={mapUrl(l.latitude, l.longitude)}
          target="_blank"
          rel="noopener noreferrer"
          aria-label={t("locations.openMapOf", { name: l.name })}
        >
          {number.format(l.latitude)}, {number.format(l.longitude)}
        </a>
      ),
    },
  ];
  return (
    <ListView
      title={t("nav.locations")}
      resource="locations"
      item={LocationView}
      columns={columns}
      defaultSort="name"
      href={(l) => pathOf("admin", "locations", l.id)}
      label={(l) => l.name}
      newHref="/admin/locations/new"
      newLabel={t("locations.new")}
      emptyText={t("locations.empty")}
    />
  );
}
