import { useEffect, useState, type ReactNode } from "react";

/** An object URL for a blob (revoked when it changes or the component goes). */
export function useObjectUrl(blob: Blob | null): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!blob) {
      setUrl(null);
      return;
    }
    const next = URL.createObjectURL(blob);
    setUrl(next);
    return () => URL.revokeObjectURL(next);
  }, [blob]);
  return url;
}

/** Loads a blob through an authorised API call (logos need the bearer token, so no plain
 * <img src>); `null` from the loader means "there is none". */
export function useBlob(load: (() => Promise<Blob | null>) | null, key: string): { blob: Blob | null; loading: boolean } {
  const [state, setState] = useState<{ key: string; blob: Blob | null; loading: boolean }>({ key: "", blob: null, loading: false });
  useEffect(() => {
    if (!load) {
      setState({ key, blob: null, loading: false });
      return;
    }
    let alive = true;
    setState({ key, blob: null, loading: true });
    load()
      .then((blob) => alive && setState({ key, blob, loading: false }))
      .catch(() => alive && setState({ key, blob: null, loading: false }));
    return () => {
      alive = false;
    };
    // The key says when to load again; `load` is a fresh closure each render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return { blob: state.blob, loading: state.loading };
}

export function BlobImage({
  load,
  cacheKey,
  alt,
  size = 40,
  fallback,
}: {
  load: () => Promise<Blob | null>;
  cacheKey: string;
  alt: string;
  size?: number;
  fallback?: ReactNode;
}) {
  const { blob, loading } = useBlob(load, cacheKey);
  const url = useObjectUrl(blob);
  if (url) return <img className="logo-image" src={url} alt={alt} width={size} height={size} />;
  if (!loading && fallback) return <>{fallback}</>;
  return <span className="logo-image logo-image--placeholder" style={{ width: size, height: size }} aria-hidden="true" />;
}
