import { PairingRequests } from './pairing-requests.js';
import { useAddRequests } from './use-add-requests.js';

/** What the window does for the browser extension: pairing requests and links to add. */
export function BrowserIntegration() {
  useAddRequests();
  return <PairingRequests />;
}
