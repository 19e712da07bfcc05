/** Where a predefined location is shown on a map. Pure. */

/** A link that shows the coordinates on OpenStreetMap (no key, no tracking script). */
export function mapUrl(latitude: number, longitude: number): string {
  const lat = latitude.toFixed(6);
  const lon = longitude.toFixed(6);
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=17/${lat}/${lon}`;
}
