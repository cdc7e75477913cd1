// Browser stand-in for node:zlib. just-bash's browser bundle imports
// gzipSync/gunzipSync/constants for gzip, gunzip, zcat and tar -z; the page
// has no zlib, so these commands fail with a clear message instead of
// crashing the whole bundle at import time.
const notAvailable = (): never => {
  throw new Error('compression is not available in the browser terminal');
};

export const gzipSync = notAvailable;
export const gunzipSync = notAvailable;
export const deflateSync = notAvailable;
export const inflateSync = notAvailable;
export const constants: Record<string, number> = {
  Z_NO_FLUSH: 0,
  Z_SYNC_FLUSH: 2,
  Z_FINISH: 4,
  Z_OK: 0,
  Z_STREAM_END: 1,
  Z_BEST_SPEED: 1,
  Z_BEST_COMPRESSION: 9,
  Z_DEFAULT_COMPRESSION: -1,
};
export default { gzipSync, gunzipSync, deflateSync, inflateSync, constants };
