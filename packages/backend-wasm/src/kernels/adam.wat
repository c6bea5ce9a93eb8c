;; One Adam update over n float32s on tfjs-backend-wasm's heap (imported), 4 lanes at a time.
;; Same IEEE operations in the same order as @hypermeta/core's composite update, so the results
;; are bit-identical to it:
;;   m' = m·b1 + g·nb1        v' = v·b2 + (g·g)·nb2
;;   p' = p − (m'·a) / (sqrt(v' / c2) + eps)
;; with nb1 = 1 − β1, nb2 = 1 − β2, a = lr / (1 − β1^t), c2 = 1 − β2^t, rounded to float32 by
;; the caller. Pointers are byte offsets; outputs may not overlap inputs.
;; Assembled by scripts/assemble-wat.mjs into adam-wasm.ts.
(module
  (import "env" "memory" (memory 1))
  (func (export "adam")
    (param $g i32) (param $m i32) (param $v i32) (param $p i32)
    (param $mo i32) (param $vo i32) (param $po i32) (param $n i32)
    (param $b1 f32) (param $nb1 f32) (param $b2 f32) (param $nb2 f32)
    (param $a f32) (param $c2 f32) (param $eps f32)
    (local $i i32) (local $end4 i32) (local $end i32)
    (local $gv v128) (local $mv v128) (local $vv v128)
    (local $B1 v128) (local $NB1 v128) (local $B2 v128) (local $NB2 v128)
    (local $A v128) (local $C2 v128) (local $EPS v128)
    (local $gs f32) (local $ms f32) (local $vs f32)
    (local.set $B1 (f32x4.splat (local.get $b1)))
    (local.set $NB1 (f32x4.splat (local.get $nb1)))
    (local.set $B2 (f32x4.splat (local.get $b2)))
    (local.set $NB2 (f32x4.splat (local.get $nb2)))
    (local.set $A (f32x4.splat (local.get $a)))
    (local.set $C2 (f32x4.splat (local.get $c2)))
    (local.set $EPS (f32x4.splat (local.get $eps)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $end4 (i32.and (local.get $end) (i32.const -16)))
    (local.set $i (i32.const 0))
    (block $done4
      (loop $lanes
        (br_if $done4 (i32.ge_u (local.get $i) (local.get $end4)))
        (local.set $gv (v128.load (i32.add (local.get $g) (local.get $i))))
        (local.set $mv (f32x4.add
          (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $i))) (local.get $B1))
          (f32x4.mul (local.get $gv) (local.get $NB1))))
        (local.set $vv (f32x4.add
          (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $i))) (local.get $B2))
          (f32x4.mul (f32x4.mul (local.get $gv) (local.get $gv)) (local.get $NB2))))
        (v128.store (i32.add (local.get $mo) (local.get $i)) (local.get $mv))
        (v128.store (i32.add (local.get $vo) (local.get $i)) (local.get $vv))
        (v128.store (i32.add (local.get $po) (local.get $i))
          (f32x4.sub
            (v128.load (i32.add (local.get $p) (local.get $i)))
            (f32x4.div
              (f32x4.mul (local.get $mv) (local.get $A))
              (f32x4.add (f32x4.sqrt (f32x4.div (local.get $vv) (local.get $C2))) (local.get $EPS)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $lanes)))
    ;; the last n mod 4 elements, one at a time, same operations
    (block $done
      (loop $tail
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $gs (f32.load (i32.add (local.get $g) (local.get $i))))
        (local.set $ms (f32.add
          (f32.mul (f32.load (i32.add (local.get $m) (local.get $i))) (local.get $b1))
          (f32.mul (local.get $gs) (local.get $nb1))))
        (local.set $vs (f32.add
          (f32.mul (f32.load (i32.add (local.get $v) (local.get $i))) (local.get $b2))
          (f32.mul (f32.mul (local.get $gs) (local.get $gs)) (local.get $nb2))))
        (f32.store (i32.add (local.get $mo) (local.get $i)) (local.get $ms))
        (f32.store (i32.add (local.get $vo) (local.get $i)) (local.get $vs))
        (f32.store (i32.add (local.get $po) (local.get $i))
          (f32.sub
            (f32.load (i32.add (local.get $p) (local.get $i)))
            (f32.div
              (f32.mul (local.get $ms) (local.get $a))
              (f32.add (f32.sqrt (f32.div (local.get $vs) (local.get $c2))) (local.get $eps)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $tail)))))
