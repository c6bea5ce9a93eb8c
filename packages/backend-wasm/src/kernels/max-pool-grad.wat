;; MaxPoolGrad for 2×2 windows, stride 2, no padding, NHWC float32 with C a multiple of 4, on
;; tfjs-backend-wasm's heap (imported); 4 channels at a time. Each output cell's gradient goes
;; to the first maximum of its window in row-major order (strict >, so NaN never wins), exactly
;; as max-pool-grad.ts's scalar loop: that loop adds the gradient to a zeroed cell, so the value
;; written is 0 + g (a −0 gradient becomes +0) and the other three cells get +0. Cells of an
;; odd last row or column belong to no window and are not written (the caller zeroes them).
;; Pointers are byte offsets. Assembled by scripts/assemble-wat.mjs into max-pool-grad-wasm.ts.
(module
  (import "env" "memory" (memory 1))
  (func (export "maxPoolGrad2x2")
    (param $x i32) (param $dy i32) (param $dx i32)
    (param $B i32) (param $H i32) (param $W i32) (param $C i32)
    (local $OH i32) (local $OW i32) (local $cell i32) (local $row i32)
    (local $b i32) (local $oh i32) (local $ow i32) (local $c i32)
    (local $xo i32) (local $dxo i32) (local $go i32) (local $at i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128) (local $g v128)
    (local $v v128) (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $zero v128)
    (local.set $OH (i32.shr_u (local.get $H) (i32.const 1)))
    (local.set $OW (i32.shr_u (local.get $W) (i32.const 1)))
    (local.set $cell (i32.shl (local.get $C) (i32.const 2)))
    (local.set $row (i32.mul (local.get $W) (local.get $cell)))
    (local.set $zero (f32x4.splat (f32.const 0)))
    (local.set $go (local.get $dy))
    (local.set $b (i32.const 0))
    (block $bDone (loop $bLoop
      (br_if $bDone (i32.ge_u (local.get $b) (local.get $B)))
      (local.set $oh (i32.const 0))
      (block $hDone (loop $hLoop
        (br_if $hDone (i32.ge_u (local.get $oh) (local.get $OH)))
        ;; byte offset of input row b·H + 2·oh
        (local.set $at (i32.mul
          (i32.add (i32.mul (local.get $b) (local.get $H)) (i32.shl (local.get $oh) (i32.const 1)))
          (local.get $row)))
        (local.set $xo (i32.add (local.get $x) (local.get $at)))
        (local.set $dxo (i32.add (local.get $dx) (local.get $at)))
        (local.set $ow (i32.const 0))
        (block $wDone (loop $wLoop
          (br_if $wDone (i32.ge_u (local.get $ow) (local.get $OW)))
          (local.set $c (i32.const 0))
          (block $cDone (loop $cLoop
            (br_if $cDone (i32.ge_u (local.get $c) (local.get $cell)))
            (local.set $at (i32.add (local.get $xo) (local.get $c)))
            (local.set $x0 (v128.load (local.get $at)))
            (local.set $x1 (v128.load (i32.add (local.get $at) (local.get $cell))))
            (local.set $x2 (v128.load (i32.add (local.get $at) (local.get $row))))
            (local.set $x3 (v128.load (i32.add (i32.add (local.get $at) (local.get $row)) (local.get $cell))))
            (local.set $g (v128.load (i32.add (local.get $go) (local.get $c))))
            ;; running maximum, replaced only by a strictly greater value
            (local.set $c1 (f32x4.gt (local.get $x1) (local.get $x0)))
            (local.set $v (v128.bitselect (local.get $x1) (local.get $x0) (local.get $c1)))
            (local.set $c2 (f32x4.gt (local.get $x2) (local.get $v)))
            (local.set $v (v128.bitselect (local.get $x2) (local.get $v) (local.get $c2)))
            (local.set $c3 (f32x4.gt (local.get $x3) (local.get $v)))
            ;; winners: 3 if c3; else 2 if c2; else 1 if c1; else 0
            (local.set $at (i32.add (local.get $dxo) (local.get $c)))
            (v128.store (local.get $at) (f32x4.add (local.get $zero)
              (v128.andnot (local.get $g) (v128.or (v128.or (local.get $c1) (local.get $c2)) (local.get $c3)))))
            (v128.store (i32.add (local.get $at) (local.get $cell)) (f32x4.add (local.get $zero)
              (v128.andnot (v128.andnot (v128.and (local.get $g) (local.get $c1)) (local.get $c2)) (local.get $c3))))
            (v128.store (i32.add (local.get $at) (local.get $row)) (f32x4.add (local.get $zero)
              (v128.andnot (v128.and (local.get $g) (local.get $c2)) (local.get $c3))))
            (v128.store (i32.add (i32.add (local.get $at) (local.get $row)) (local.get $cell)) (f32x4.add (local.get $zero)
              (v128.and (local.get $g) (local.get $c3))))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br $cLoop)))
          ;; next window: two input cells right, one output cell
          (local.set $xo (i32.add (local.get $xo) (i32.shl (local.get $cell) (i32.const 1))))
          (local.set $dxo (i32.add (local.get $dxo) (i32.shl (local.get $cell) (i32.const 1))))
          (local.set $go (i32.add (local.get $go) (local.get $cell)))
          (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
          (br $wLoop)))
        (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
        (br $hLoop)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bLoop)))))
