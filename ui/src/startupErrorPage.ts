// The page shown when the app cannot start as configured (startup-error.html). It talks to
// nothing: what went wrong is handed in by the shell (`window.humoIdentStartupError`), and the
// page says it in every language, for whoever stands at the screen and for the bank's IT.
import "./app.css";
import en from "./locales/en.json";
import ru from "./locales/ru.json";
import tg from "./locales/tg.json";

declare global {
  interface Window {
    humoIdentStartupError?: string;
  }
}

const languages = [
  ["tg", tg.startupError],
  ["ru", ru.startupError],
  ["en", en.startupError],
] as const;

function paragraph(text: string, className?: string): HTMLParagraphElement {
  const p = document.createElement("p");
  p.textContent = text;
  if (className) p.className = className;
  return p;
}

const root = document.getElementById("app")!;
for (const [lang, text] of languages) {
  const section = document.createElement("section");
  section.lang = lang;
  const heading = document.createElement("h1");
  heading.textContent = text.title;
  section.append(heading, paragraph(text.body));
  root.append(section);
}
const detail = window.humoIdentStartupError ?? "";
const details = paragraph(detail, "small");
details.lang = "en";
details.dataset.testid = "startup-error-detail";
root.append(details);
