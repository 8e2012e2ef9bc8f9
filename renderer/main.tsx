import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { App } from './app.js';
import { ClientContext } from './client/client-context.js';
import { startFeed } from './client/feed.js';
import { connectClient } from './client/index.js';
import { createI18n } from './i18n/index.js';
import { createFerryStore } from './store/index.js';
import { FerryStoreContext } from './store/use-ferry-store.js';
import './styles.css';

const store = createFerryStore();
const client = connectClient();
const feed = startFeed(client, store);
const i18n = await createI18n();
const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <FerryStoreContext value={store}>
      <ClientContext value={{ client, feed }}>
        <I18nextProvider i18n={i18n}>
          <App />
        </I18nextProvider>
      </ClientContext>
    </FerryStoreContext>
  </StrictMode>,
);
