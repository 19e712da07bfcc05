/**
 * A tiny History API router: `navigate()` pushes or replaces the URL and tells every
 * `useRoute()` subscriber; Back/Forward arrive as `popstate`. `<Link>` is a real link
 * (so middle-click, copy link and the keyboard work) that navigates in place on a plain
 * click.
 */
import type { ComponentChildren, PartialAnchorHTMLAttributes } from "preact";
import { useEffect, useState } from "preact/hooks";

/** Where we are: the pathname and the query string (with its leading "?", or ""). */
export interface Location {
  path: string;
  search: string;
}

const listeners = new Set<() => void>();

function current(): Location {
  return { path: window.location.pathname, search: window.location.search };
}

function notify(): void {
  for (const listener of listeners) listener();
}

let listening = false;
function listen(): void {
  if (listening) return;
  listening = true;
  window.addEventListener("popstate", notify);
}

/**
 * Goes to `to` (a path with an optional query). `replace` rewrites the current history
 * entry instead of adding one: for redirects and for list filters typed character by
 * character, which should not each become a Back step.
 */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const here = window.location.pathname + window.location.search;
  if (to === here) return;
  if (options.replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  notify();
  // A new page starts at the top, like a normal link would.
  if (!options.replace) window.scrollTo(0, 0);
}

/** The current location; re-renders the caller on every navigation and on Back/Forward. */
export function useRoute(): Location {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    listen();
    const update = () =>
      setLocation((previous) => {
        const next = current();
        return previous.path === next.path && previous.search === next.search ? previous : next;
      });
    listeners.add(update);
    update(); // a navigation may have happened between render and effect
    return () => {
      listeners.delete(update);
    };
  }, []);
  return location;
}

type AnchorProps = Omit<
  PartialAnchorHTMLAttributes<HTMLAnchorElement>,
  "href" | "onClick" | "role"
> & {
  /** The roles a link may take (a tab of a tab list, for one). */
  role?: "link" | "tab" | "menuitem";
};

/** A same-origin link that navigates without reloading; modified clicks behave as usual. */
export function Link({
  href,
  replace,
  children,
  ...rest
}: AnchorProps & { href: string; replace?: boolean; children?: ComponentChildren }) {
  return (
    <a
      {...rest}
      href={href}
      onClick={(event) => {
        if (
          event.defaultPrevented ||
          event.button !== 0 ||
          event.metaKey ||
          event.ctrlKey ||
          event.shiftKey ||
          event.altKey
        ) {
          return;
        }
        event.preventDefault();
        navigate(href, { replace });
      }}
    >
      {children}
    </a>
  );
}

/** Renders nothing and replaces the URL with `to`: a redirect inside the SPA. */
export function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}
