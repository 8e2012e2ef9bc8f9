import { useEffect, useState } from 'react';

/**
 * The current time, ticking once a second while `active` (a retry countdown on screen); a
 * component that shows no countdown costs no timer.
 */
export function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => {
      setNow(Date.now());
    }, 1000);
    return () => {
      clearInterval(timer);
    };
  }, [active]);
  return now;
}
