import { useTranslation } from 'react-i18next';
import type { JobId } from '../../../app/model/ids.js';
import { formatSpeed } from '../../i18n/format.js';
import { HISTORY_MS } from '../../store/speed.js';
import { jobSelectors } from '../../store/selectors.js';
import { useFerryStore } from '../../store/use-ferry-store.js';

const WIDTH = 300;
const HEIGHT = 80;

/** The job's measured speed over the last minutes, as a small SVG area chart. */
export function SpeedChart({ id }: { readonly id: JobId }) {
  const { t, i18n } = useTranslation();
  const info = useFerryStore(jobSelectors.speedInfo(id));
  const now = useFerryStore((s) => s.batchTime);
  const points = info?.history ?? [];
  const peak = points.reduce((m, p) => Math.max(m, p.speed), 0);
  const x = (time: number) => WIDTH - ((now - time) / HISTORY_MS) * WIDTH;
  const y = (speed: number) => HEIGHT - (peak === 0 ? 0 : (speed / peak) * (HEIGHT - 4));
  const line = points.map((p) => `${x(p.time).toFixed(1)},${y(p.speed).toFixed(1)}`).join(' ');
  const first = points[0];
  const last = points.at(-1);
  const area =
    first === undefined || last === undefined
      ? ''
      : `${x(first.time).toFixed(1)},${String(HEIGHT)} ${line} ${x(last.time).toFixed(1)},${String(HEIGHT)}`;
  return (
    <figure className="speed-chart">
      <figcaption>
        {t('details.speedChart')}
        {peak > 0 && ` — ${t('details.peak', { speed: formatSpeed(peak, i18n.language) })}`}
      </figcaption>
      {points.length < 2 ? (
        <p className="muted">{t('details.speedChartEmpty')}</p>
      ) : (
        <svg
          viewBox={`0 0 ${String(WIDTH)} ${String(HEIGHT)}`}
          role="img"
          aria-label={t('details.speedChart')}
          preserveAspectRatio="none"
        >
          <polygon className="chart-area" points={area} />
          <polyline className="chart-line" points={line} />
        </svg>
      )}
    </figure>
  );
}
