import { useTranslation } from 'react-i18next';
import { SORT_KEYS } from '../../store/filters-slice.js';
import type { SortKey } from '../../store/filters-slice.js';
import { STATE_GROUPS } from '../../store/state-groups.js';
import { useFerryStore, useFerryStoreApi } from '../../store/use-ferry-store.js';

/** State group buttons, the search box and the sort controls. */
export function FilterBar() {
  const { t } = useTranslation();
  const store = useFerryStoreApi();
  const group = useFerryStore((s) => s.group);
  const search = useFerryStore((s) => s.search);
  const sortKey = useFerryStore((s) => s.sortKey);
  const direction = useFerryStore((s) => s.sortDirection);
  return (
    <div className="filter-bar">
      <div className="groups" role="group" aria-label={t('groups.label')}>
        {STATE_GROUPS.map((g) => (
          <button
            key={g}
            type="button"
            aria-pressed={group === g}
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
      <label className="sort">
        {t('sort.label')}{' '}
        <select
          value={sortKey}
          onChange={(event) => {
            const key = SORT_KEYS.find((k) => k === event.target.value);
            if (key !== undefined && key !== sortKey) store.getState().sortBy(key);
          }}
        >
          {SORT_KEYS.map((k: SortKey) => (
            <option key={k} value={k}>
              {t(`sort.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        aria-label={`${t('sort.direction')}: ${t(`sort.${direction}`)}`}
        title={t(`sort.${direction}`)}
        onClick={() => {
          store.getState().sortBy(sortKey);
        }}
      >
        {direction === 'asc' ? '↑' : '↓'}
      </button>
    </div>
  );
}
