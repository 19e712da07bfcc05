/**
 * The content sections of the administration (predefined messages, locations,
 * templates), each routing inside itself: its list, `new`, or a record's id.
 */
import { NotFound, useRoute } from "../kit/index.ts";
import { LocationForm } from "./LocationForm.tsx";
import { LocationsList } from "./LocationsList.tsx";
import { PredefinedMessageForm } from "./PredefinedMessageForm.tsx";
import { PredefinedMessagesList } from "./PredefinedMessagesList.tsx";
import { TemplateForm } from "./TemplateForm.tsx";
import { TemplatesList } from "./TemplatesList.tsx";

/** The decoded path segments below `/admin/<section>`. */
interface ContentSectionProps {
  rest: readonly string[];
}

/** A query parameter of the current URL, or undefined. */
function useParam(name: string): string | undefined {
  const route = useRoute();
  return new URLSearchParams(route.search).get(name) ?? undefined;
}

export function PredefinedMessagesSection({ rest }: ContentSectionProps) {
  const category = useParam("category");
  const [id] = rest;
  if (id === undefined) return <PredefinedMessagesList />;
  if (rest.length > 1) return <NotFound backTo="/admin/predefined-messages" />;
  if (id === "new")
    return <PredefinedMessageForm key={`new-${category ?? ""}`} id={null} category={category} />;
  return <PredefinedMessageForm key={id} id={id} />;
}

export function LocationsSection({ rest }: ContentSectionProps) {
  const [id] = rest;
  if (id === undefined) return <LocationsList />;
  if (rest.length > 1) return <NotFound backTo="/admin/locations" />;
  return <LocationForm key={id} id={id === "new" ? null : id} />;
}

export function TemplatesSection({ rest }: ContentSectionProps) {
  const numberId = useParam("numberId");
  const [id] = rest;
  if (id === undefined) return <TemplatesList />;
  if (rest.length > 1) return <NotFound backTo="/admin/templates" />;
  if (id === "new")
    return <TemplateForm key={`new-${numberId ?? ""}`} id={null} numberId={numberId} />;
  return <TemplateForm key={id} id={id} />;
}
