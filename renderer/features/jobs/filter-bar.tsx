import { useTranslation } from 'react-i18next';
import { STATE_GROUPS } from '../../store/state-groups.js';
import { useFerryStore, useFerryStoreApi } from '../../store/use-ferry-store.js';

/** State group buttons and the search box (sorting is by the list's column headers). */
export function FilterBar() {
  const { t } = useTranslation();
  const store = useFerryStoreApi();
  const group = useFerryStore((s) => s.group);
  const search = useFerryStore((s) => s.search);
  return (
    <div className="filter-bar">
      <div className="groups" role="group" aria-label={t('groups.label')}>
        {STATE_GROUPS.map((g) => (
          <button
            key={g}
            type="button"
            aria-pressed={group === g}
            title={t(`groups.${g}`)}
            onClick={() => {
              store.getState().setGroup(g);
            }}
          >
            {t(`groups.${g}`)}
          </button>
        ))}
      </div>
      <input
        id="job-search"
        type="search"
        className="search"
        placeholder={t('toolbar.search')}
        aria-label={t('toolbar.search')}
        aria-keyshortcuts="/"
        value={search}
        onChange={(event) => {
          store.getState().setSearch(event.target.value);
        }}
      />
    </div>
  );
}
