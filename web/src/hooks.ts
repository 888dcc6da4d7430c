import { useCallback, useEffect, useRef, useState } from 'react';
import { asApiError, type ApiError } from './api';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
  /** Replaces the data with what a change answered, without another request. */
  set: (value: T) => void;
}

/** Loads data from the API; a newer load wins over an older one still in flight. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const run = ++latest.current;
    setLoading(true);
    load().then(
      (value) => { if (run === latest.current) { setData(value); setError(null); setLoading(false); } },
      (err: unknown) => { if (run === latest.current) { setError(asApiError(err)); setLoading(false); } },
    );
  }, [...deps, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const set = useCallback((value: T) => { latest.current += 1; setData(value); setError(null); setLoading(false); }, []);
  return { data, error, loading, reload, set };
}

/** Runs one change at a time against the API, keeping its error until the next attempt. */
export function useAction(): { busy: boolean; error: ApiError | null; run: <T>(action: () => Promise<T>) => Promise<T | undefined>; clear: () => void } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = useCallback(async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await action();
    } catch (err) {
      setError(asApiError(err));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, clear: useCallback(() => setError(null), []) };
}

export function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const onChange = () => setMatches(list.matches);
    list.addEventListener('change', onChange);
    onChange();
    return () => list.removeEventListener('change', onChange);
  }, [query]);
  return matches;
}

/** A value that follows its input once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}
