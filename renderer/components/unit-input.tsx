import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { bestUnit, fromUnit, inUnit } from '../i18n/units.js';
import type { Unit } from '../i18n/units.js';

/**
 * A number with a unit picker ("10" "minutes"), holding its value in base units (seconds,
 * bytes, bytes per second). `onChange` gets the base value, or null while the text is not a
 * number. Changing the unit keeps the number typed (5 minutes → 5 hours), as people expect.
 */
export function UnitInput({
  id,
  value,
  units,
  onChange,
  label,
  min = 0,
}: {
  readonly id: string;
  readonly value: number;
  readonly units: readonly Unit[];
  readonly onChange: (value: number | null) => void;
  /** The field's label, to name the unit picker for screen readers. */
  readonly label: string;
  readonly min?: number;
}) {
  const { t } = useTranslation();
  const [unit, setUnit] = useState<Unit>(() => bestUnit(value, units));
  const [text, setText] = useState(() => inUnit(value, unit));
  return (
    <span className="unit-input">
      <input
        id={id}
        type="number"
        inputMode="decimal"
        min={min}
        step="any"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          onChange(fromUnit(e.target.value, unit));
        }}
      />
      <select
        aria-label={t('units.unitOf', { field: label })}
        value={unit.key}
        onChange={(e) => {
          const next = units.find((u) => u.key === e.target.value) ?? unit;
          setUnit(next);
          onChange(fromUnit(text, next));
        }}
      >
        {units.map((u) => (
          <option key={u.key} value={u.key}>
            {t(`units.${u.key}`)}
          </option>
        ))}
      </select>
    </span>
  );
}
