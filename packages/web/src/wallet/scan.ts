/**
 * Camera QR scanning: the browser's BarcodeDetector where it exists (Chrome on Android), otherwise jsQR on video
 * frames (loaded only when needed). Where there is no camera or no permission, the caller falls back to pasting.
 */
type JsQr = (data: Uint8ClampedArray, width: number, height: number, options?: { inversionAttempts?: "dontInvert" | "attemptBoth" }) => { data: string } | null;

/** jsQR is a UMD bundle whose function sits on `default` once or twice depending on the interop: take either. */
async function loadJsQr(): Promise<JsQr | undefined> {
  const mod = (await import("jsqr")) as unknown as { default?: unknown };
  const first = mod.default;
  if (typeof first === "function") return first as JsQr;
  const second = (first as { default?: unknown } | undefined)?.default;
  return typeof second === "function" ? (second as JsQr) : undefined;
}

type Detector = { detect(source: CanvasImageSource): Promise<readonly { rawValue: string }[]> };

export type ScanFailure = "unavailable" | "denied";

export interface Scanner {
  stop(): void;
}

/**
 * Starts the rear camera in `video` and calls `onResult` once with the first QR code's text.
 * Rejects with `"unavailable"` (no camera API, no camera, insecure origin) or `"denied"` (permission refused).
 */
export async function startScanner(video: HTMLVideoElement, onResult: (text: string) => void): Promise<Scanner> {
  if (navigator.mediaDevices?.getUserMedia === undefined) throw "unavailable" satisfies ScanFailure;
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
  } catch (e) {
    throw (e instanceof DOMException && (e.name === "NotAllowedError" || e.name === "SecurityError") ? "denied" : "unavailable") satisfies ScanFailure;
  }
  video.srcObject = stream;
  video.setAttribute("playsinline", "");
  video.muted = true;
  await video.play();
  let stopped = false;
  const stop = () => {
    stopped = true;
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };
  const BarcodeDetectorCtor = (globalThis as { BarcodeDetector?: new (o: { formats: string[] }) => Detector }).BarcodeDetector;
  const detector: Detector | undefined = BarcodeDetectorCtor === undefined ? undefined : new BarcodeDetectorCtor({ formats: ["qr_code"] });
  const jsqr = detector === undefined ? await loadJsQr() : undefined;
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  const tick = async () => {
    if (stopped) return;
    try {
      if (video.readyState >= 2) {
        let text: string | undefined;
        if (detector !== undefined) {
          text = (await detector.detect(video))[0]?.rawValue;
        } else if (jsqr !== undefined && context !== null) {
          canvas.width = video.videoWidth;
          canvas.height = video.videoHeight;
          context.drawImage(video, 0, 0);
          const image = context.getImageData(0, 0, canvas.width, canvas.height);
          text = jsqr(image.data, image.width, image.height, { inversionAttempts: "dontInvert" })?.data;
        }
        if (text !== undefined && text !== "") {
          stop();
          onResult(text);
          return;
        }
      }
    } catch {
      // a frame that could not be read: try the next one
    }
    setTimeout(() => void tick(), 200);
  };
  void tick();
  return { stop };
}
