/** Entry point of the agent desktop SPA. */
import { render } from "preact";
import { App } from "./App.tsx";
import "./styles.css";
// After styles.css, which it refines: the desk's header, drawer and tablet layout.
import "./desk/chrome.css";

const root = document.getElementById("app");
if (root) render(<App />, root);
