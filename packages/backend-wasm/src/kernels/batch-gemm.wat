;; C[t] = A[t] · B[t] for T small matrices, float32 on tfjs-backend-wasm's heap (imported):
;; B [T, K, M], C [T, N, M], M a multiple of 4; A [T, N, K], or [T, K, N] read transposed
;; (element (n, k) at n·$nStep + k·$kStep bytes into its matrix). Each output is accumulated
;; from 0 in k order, 0 + a₀b₀ + a₁b₁ + …, one rounding per multiply and per add (no fused
;; multiply-add), as XNNPACK's wasm SIMD GEMM does — so the same bits as one XNNPACK product
;; per matrix. Columns go 16 at a time (four accumulators share each broadcast of a), then 4.
;; Pointers are byte offsets. Assembled by scripts/assemble-wat.mjs into batch-gemm-wasm.ts.
(module
  (import "env" "memory" (memory 1))
  (func (export "batchGemm")
    (param $a i32) (param $b i32) (param $c i32)
    (param $T i32) (param $N i32) (param $K i32) (param $M i32)
    (param $nStep i32) (param $kStep i32)
    (local $t i32) (local $n i32) (local $m i32) (local $rowB i32) (local $end16 i32)
    (local $aRow i32) (local $ak i32) (local $aEnd i32) (local $bk i32) (local $aMat i32) (local $matA i32)
    (local $s v128) (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local.set $rowB (i32.shl (local.get $M) (i32.const 2)))
    (local.set $end16 (i32.and (local.get $rowB) (i32.const -64)))
    (local.set $matA (i32.shl (i32.mul (local.get $N) (local.get $K)) (i32.const 2)))
    (local.set $aMat (local.get $a))
    (local.set $t (i32.const 0))
    (block $tDone (loop $tLoop
      (br_if $tDone (i32.ge_u (local.get $t) (local.get $T)))
      (local.set $n (i32.const 0))
      (block $nDone (loop $nLoop
        (br_if $nDone (i32.ge_u (local.get $n) (local.get $N)))
        (local.set $aRow (i32.add (local.get $aMat) (i32.mul (local.get $n) (local.get $nStep))))
        (local.set $aEnd (i32.add (local.get $aRow) (i32.mul (local.get $K) (local.get $kStep))))
        (local.set $m (i32.const 0))
        ;; 16 columns at a time
        (block $m16Done (loop $m16Loop
          (br_if $m16Done (i32.ge_u (local.get $m) (local.get $end16)))
          (local.set $c0 (f32x4.splat (f32.const 0)))
          (local.set $c1 (f32x4.splat (f32.const 0)))
          (local.set $c2 (f32x4.splat (f32.const 0)))
          (local.set $c3 (f32x4.splat (f32.const 0)))
          (local.set $ak (local.get $aRow))
          (local.set $bk (i32.add (local.get $b) (local.get $m)))
          (block $kDone (loop $kLoop
            (br_if $kDone (i32.ge_u (local.get $ak) (local.get $aEnd)))
            (local.set $s (f32x4.splat (f32.load (local.get $ak))))
            (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $s) (v128.load offset=0 (local.get $bk)))))
            (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $bk)))))
            (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $bk)))))
            (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $bk)))))
            (local.set $ak (i32.add (local.get $ak) (local.get $kStep)))
            (local.set $bk (i32.add (local.get $bk) (local.get $rowB)))
            (br $kLoop)))
          (v128.store offset=0 (i32.add (local.get $c) (local.get $m)) (local.get $c0))
          (v128.store offset=16 (i32.add (local.get $c) (local.get $m)) (local.get $c1))
          (v128.store offset=32 (i32.add (local.get $c) (local.get $m)) (local.get $c2))
          (v128.store offset=48 (i32.add (local.get $c) (local.get $m)) (local.get $c3))
          (local.set $m (i32.add (local.get $m) (i32.const 64)))
          (br $m16Loop)))
        ;; the rest, 4 columns at a time
        (block $m4Done (loop $m4Loop
          (br_if $m4Done (i32.ge_u (local.get $m) (local.get $rowB)))
          (local.set $c0 (f32x4.splat (f32.const 0)))
          (local.set $ak (local.get $aRow))
          (local.set $bk (i32.add (local.get $b) (local.get $m)))
          (block $k4Done (loop $k4Loop
            (br_if $k4Done (i32.ge_u (local.get $ak) (local.get $aEnd)))
            (local.set $c0 (f32x4.add (local.get $c0)
              (f32x4.mul (f32x4.splat (f32.load (local.get $ak))) (v128.load (local.get $bk)))))
            (local.set $ak (i32.add (local.get $ak) (local.get $kStep)))
            (local.set $bk (i32.add (local.get $bk) (local.get $rowB)))
            (br $k4Loop)))
          (v128.store (i32.add (local.get $c) (local.get $m)) (local.get $c0))
          (local.set $m (i32.add (local.get $m) (i32.const 16)))
          (br $m4Loop)))
        (local.set $c (i32.add (local.get $c) (local.get $rowB)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $nLoop)))
      (local.set $aMat (i32.add (local.get $aMat) (local.get $matA)))
      (local.set $b (i32.add (local.get $b) (i32.mul (local.get $K) (local.get $rowB))))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br $tLoop)))))
