import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { restoreSession } from "./api/session";
import { App } from "./App";
import { I18nProvider } from "./i18n";
import "./styles.css";

// A reload forgets the in-memory access token: the refresh cookie brings the session back.
void restoreSession();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <I18nProvider>
      <App />
    </I18nProvider>
  </StrictMode>,
);
