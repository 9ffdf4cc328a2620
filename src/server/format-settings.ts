/** The session settings that change how values are written and read as text. */
export { formatSettingsOf as formatSettings } from '../sql/settings.js';
