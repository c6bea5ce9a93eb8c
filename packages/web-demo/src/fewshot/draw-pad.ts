/** A canvas to draw on with mouse, pen or touch: black strokes on white, like ink on paper. */
export class DrawPad {
  private last: { x: number; y: number } | null = null;
  private inked = false;

  constructor(
    readonly canvas: HTMLCanvasElement,
    readonly lineWidth = 8,
  ) {
    this.clear();
    canvas.addEventListener('pointerdown', (e) => {
      canvas.setPointerCapture(e.pointerId);
      this.last = this.at(e);
      this.stroke(this.last, this.last);
    });
    canvas.addEventListener('pointermove', (e) => {
      if (!this.last) return;
      const p = this.at(e);
      this.stroke(this.last, p);
      this.last = p;
    });
    const end = () => (this.last = null);
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
  }

  /** Whether anything was drawn since the last clear. */
  get hasInk(): boolean {
    return this.inked;
  }

  clear(): void {
    const ctx = this.canvas.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.inked = false;
  }

  pixels(): ImageData {
    return this.canvas.getContext('2d')!.getImageData(0, 0, this.canvas.width, this.canvas.height);
  }

  /** Pointer position in canvas pixels (the canvas may be scaled by CSS). */
  private at(e: PointerEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return {
      x: ((e.clientX - r.left) * this.canvas.width) / r.width,
      y: ((e.clientY - r.top) * this.canvas.height) / r.height,
    };
  }

  private stroke(a: { x: number; y: number }, b: { x: number; y: number }): void {
    const ctx = this.canvas.getContext('2d')!;
    ctx.strokeStyle = '#000';
    ctx.lineWidth = this.lineWidth;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(a.x, a.y);
    ctx.lineTo(b.x + 0.01, b.y); // a zero-length segment draws nothing; a dot should show
    ctx.stroke();
    this.inked = true;
  }
}
