// The size a frame is drawn at: its own shape, fitted inside the box its canvas is shown in,
// in device pixels, never larger than the frame. The canvas then holds no more pixels than it
// shows, and the page never scales a full frame.

export function fittedSize(canvas: HTMLCanvasElement, frameWidth: number, frameHeight: number) {
  const scale = window.devicePixelRatio || 1;
  const boxWidth = Math.max(16, canvas.clientWidth * scale);
  const boxHeight = Math.max(9, canvas.clientHeight * scale);
  const fit = Math.min(boxWidth / frameWidth, boxHeight / frameHeight, 1);
  return {
    width: Math.max(1, Math.round(frameWidth * fit)),
    height: Math.max(1, Math.round(frameHeight * fit)),
  };
}
