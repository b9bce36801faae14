import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { installHolidayRules } from './holiday-rules';
import { App } from './App';
import './styles.css';

// The business-hours core loads date-holidays with require() for non-UK holiday sets (e.g. "dk"):
// fetched in the background, never holding up the first page.
void installHolidayRules();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
