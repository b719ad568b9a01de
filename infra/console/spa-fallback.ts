/**
 * The CloudFront Function (viewer request, JavaScript runtime 2.0) that serves the console's
 * index.html for every address of the app: a path whose last segment has no file extension
 * (`/`, `/snapshots`, `/operations/op_…`, `/auth/callback`) is the single-page app, which routes
 * in the browser; anything else (`/assets/…`, `/config.json`) is a file of the bucket. Written as
 * ES5, which CloudFront runs as is.
 */
export const SPA_FALLBACK_CODE = `function handler(event) {
  var request = event.request;
  var last = request.uri.split('/').pop();
  if (last.indexOf('.') === -1) {
    request.uri = '/index.html';
  }
  return request;
}`;
