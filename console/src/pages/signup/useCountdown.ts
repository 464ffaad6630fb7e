import { useEffect, useState } from "react";

/** Seconds left from `seconds` down to 0 while `running`, then `onDone` once. */
export function useCountdown(seconds: number, running: boolean, onDone: () => void): number {
  const [left, setLeft] = useState(seconds);
  useEffect(() => {
    if (!running) {
      setLeft(seconds);
      return;
    }
    const started = Date.now();
    const timer = setInterval(() => {
      const remaining = Math.max(0, seconds - Math.floor((Date.now() - started) / 1000));
      setLeft(remaining);
      if (remaining === 0) clearInterval(timer);
    }, 200);
    return () => clearInterval(timer);
  }, [running, seconds]);
  useEffect(() => {
    if (running && left === 0) onDone();
    // onDone is called once, when the count reaches zero.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [running, left]);
  return left;
}
