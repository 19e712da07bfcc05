/**
 * A predefined location (`/admin/locations/new`, `/admin/locations/:id`) that agents can
 * send: name, address and coordinates, with a link to check them on a map.
 */
import type { LocationView } from "../../../shared/admin.ts";
import { useI18n } from "../../i18n.ts";
import {
  AdminForm,
  DeleteRecord,
  FieldGroup,
  Link,
  NumberField,
  navigate,
  pathOf,
  RecordGate,
  TextField,
  useRecordForm,
} from "../kit/index.ts";
import { locationsApi } from "./api.ts";
import { mapUrl } from "./map.ts";

interface LocationDraft {
  name: string;
  address: string;
  latitude: number | null;
  longitude: number | null;
}

function toDraft(view: LocationView): LocationDraft {
  return {
    name: view.name,
    address: view.address,
    latitude: view.latitude,
    longitude: view.longitude,
  };
}

/** Both coordinates present and in range: only then is a map link worth showing. */
function validCoordinates(draft: LocationDraft): draft is LocationDraft & {
  latitude: number;
  longitude: number;
} {
  return (
    draft.latitude !== null &&
    draft.longitude !== null &&
    Math.abs(draft.latitude) <= 90 &&
    Math.abs(draft.longitude) <= 180
  );
}

export function LocationForm({ id }: { id: string | null }) {
  const { t } = useI18n();
  const form = useRecordForm<LocationView, LocationDraft>({
    load: id === null ? undefined : () => locationsApi.get(id),
    empty: { name: "", address: "", latitude: null, longitude: null },
    toDraft,
    // Empty coordinates go as null, so the server names the missing field.
    save: (draft, view) =>
      view
        ? locationsApi.update(view.id, { version: view.version, ...draft })
        : locationsApi.create(draft),
    onSaved: (view, created) => {
      if (created) navigate(pathOf("admin", "locations", view.id), { replace: true });
    },
  });
  if (form.status !== "ready" && form.status !== "new") {
    return (
      <RecordGate
        status={form.status}
        loadError={form.loadError}
        onRetry={() => void form.reload()}
        backTo="/admin/locations"
      />
    );
  }
  const { draft, set, view } = form;
  return (
    <section class="admin-page" aria-labelledby="location-heading">
      <p class="breadcrumb">
        <Link href="/admin/locations">{t("nav.locations")}</Link>
      </p>
      <div class="page-header">
        <h1 id="location-heading">{view ? view.name : t("locations.new")}</h1>
        {view && (
          <DeleteRecord
            id="location-delete"
            title={t("locations.deleteTitle")}
            message={t("locations.deleteMessage", { name: view.name })}
            remove={() => locationsApi.remove(view.id)}
            backTo="/admin/locations"
          />
        )}
      </div>
      <AdminForm
        form={form}
        labelledBy="location-heading"
        labels={{
          name: t("locations.name"),
          address: t("locations.address"),
          latitude: t("locations.latitude"),
          longitude: t("locations.longitude"),
        }}
      >
        <FieldGroup legend={t("locations.place")}>
          <TextField
            name="name"
            label={t("locations.name")}
            hint={t("locations.nameHint")}
            required
            maxLength={100}
            value={draft.name}
            onInput={(v) => set("name", v)}
          />
          <TextField
            name="address"
            label={t("locations.address")}
            required={false}
            maxLength={300}
            value={draft.address}
            onInput={(v) => set("address", v)}
          />
        </FieldGroup>
        <FieldGroup legend={t("locations.coordinates")} hint={t("locations.coordinatesHint")}>
          <NumberField
            name="latitude"
            label={t("locations.latitude")}
            hint={t("locations.latitudeHint")}
            required
            min={-90}
            max={90}
            step="any"
            value={draft.latitude}
            onInput={(v) => set("latitude", v)}
          />
          <NumberField
            name="longitude"
            label={t("locations.longitude")}
            hint={t("locations.longitudeHint")}
            required
            min={-180}
            max={180}
            step="any"
            value={draft.longitude}
            onInput={(v) => set("longitude", v)}
          />
        </FieldGroup>
        <p>
          {validCoordinates(draft) ? (
            <a
              id="location-map"
              href={mapUrl(draft.latitude, draft.longitude)}
              target="_blank"
              rel="noopener noreferrer"
            >
              {t("locations.openMap")}
              <span class="visually-hidden"> {t("locations.newWindow")}</span>
            </a>
          ) : (
            <span class="muted">{t("locations.mapNeedsCoordinates")}</span>
          )}
        </p>
      </AdminForm>
    </section>
  );
}
