import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { SpeedRule, Weekday } from '../../../app/model/settings.js';
import { UnitInput } from '../../components/unit-input.js';
import { SPEED_LIMIT_UNITS } from './engine-fields.js';

/** Days in the order a week reads in Europe: Monday first, Sunday last. */
const WEEK: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 0];

/** A localised short weekday name (2023-01-01 was a Sunday). */
function dayName(day: Weekday, locale: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(
    Date.UTC(2023, 0, 1 + day),
  );
}

/** A rule as the form edits it: the limit may be mid-typing (null). */
export interface RuleDraft {
  readonly days: readonly Weekday[];
  readonly start: string;
  readonly end: string;
  readonly speedLimit: number | null;
}

/** The form's draft of a stored rule. */
export function draftOfRule(rule: SpeedRule): RuleDraft {
  return { ...rule };
}

function RuleRow({
  rule,
  index,
  onChange,
  onRemove,
}: {
  readonly rule: RuleDraft;
  readonly index: number;
  readonly onChange: (rule: RuleDraft) => void;
  readonly onRemove: () => void;
}) {
  const { t, i18n } = useTranslation();
  const base = useId();
  const label = t('settings.schedule.rule', { n: index + 1 });
  return (
    <fieldset className="rule" data-rule={index}>
      <legend>{label}</legend>
      <div className="days" role="group" aria-label={t('settings.schedule.days')}>
        {WEEK.map((day) => (
          <label key={day} className="day">
            <input
              type="checkbox"
              checked={rule.days.includes(day)}
              onChange={(e) => {
                const days = e.target.checked
                  ? [...rule.days, day]
                  : rule.days.filter((d) => d !== day);
                onChange({ ...rule, days });
              }}
            />
            {dayName(day, i18n.language)}
          </label>
        ))}
      </div>
      <div className="rule-times">
        <label htmlFor={`${base}-start`}>{t('settings.schedule.from')}</label>
        <input
          id={`${base}-start`}
          type="time"
          value={rule.start}
          onChange={(e) => {
            onChange({ ...rule, start: e.target.value });
          }}
        />
        <label htmlFor={`${base}-end`}>{t('settings.schedule.to')}</label>
        <input
          id={`${base}-end`}
          type="time"
          value={rule.end === '24:00' ? '00:00' : rule.end}
          onChange={(e) => {
            onChange({ ...rule, end: e.target.value });
          }}
        />
      </div>
      <div className="field">
        <label htmlFor={`${base}-limit`}>{t('settings.schedule.limit')}</label>
        <UnitInput
          id={`${base}-limit`}
          label={t('settings.schedule.limit')}
          value={rule.speedLimit ?? 0}
          units={SPEED_LIMIT_UNITS}
          onChange={(v) => {
            onChange({ ...rule, speedLimit: v });
          }}
        />
      </div>
      <button type="button" className="danger-text" onClick={onRemove}>
        {t('settings.schedule.remove')}
      </button>
    </fieldset>
  );
}

/**
 * The scheduler: time ranges on chosen days with their own speed limit (0 = none), as the
 * engine's `speedSchedule` holds them. The first matching rule wins; outside every rule the
 * plain limit applies. A range whose end is before its start runs past midnight.
 */
export function ScheduleEditor({
  rules,
  onChange,
}: {
  readonly rules: readonly RuleDraft[];
  readonly onChange: (rules: readonly RuleDraft[]) => void;
}) {
  const { t } = useTranslation();
  return (
    <section className="schedule" aria-label={t('settings.schedule.title')}>
      <h3>{t('settings.schedule.title')}</h3>
      <p className="muted">{t('settings.schedule.hint')}</p>
      {rules.length === 0 && <p className="muted">{t('settings.schedule.none')}</p>}
      {rules.map((rule, i) => (
        <RuleRow
          key={i}
          rule={rule}
          index={i}
          onChange={(next) => {
            onChange(rules.map((r, k) => (k === i ? next : r)));
          }}
          onRemove={() => {
            onChange(rules.filter((_, k) => k !== i));
          }}
        />
      ))}
      <button
        type="button"
        onClick={() => {
          onChange([
            ...rules,
            { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00', speedLimit: 500_000 },
          ]);
        }}
      >
        {t('settings.schedule.add')}
      </button>
    </section>
  );
}
