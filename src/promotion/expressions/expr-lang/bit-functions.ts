import { strictIntArg } from "./arguments.js";
import type { ExprFunction, FunctionTable } from "./evaluation.js";
import { makeInt, type Value } from "./values.js";

/** Two ints in, one out, computed on Go's 64-bit ints. */
function bitwise(operation: (x: bigint, y: bigint) => bigint, shift = false): ExprFunction {
  return {
    arity: [2, 2],
    call: (args: Value[]) => {
      const x = BigInt(strictIntArg(args, 0));
      const y = BigInt(strictIntArg(args, 1));
      if (shift && y < 0n) throw new Error(`negative shift count ${y}`);
      return makeInt(Number(BigInt.asIntN(64, operation(x, y))));
    },
  };
}

/** expr-lang's bitwise built-ins. */
export const BIT_FUNCTIONS: FunctionTable = {
  bitand: bitwise((x, y) => x & y),
  bitor: bitwise((x, y) => x | y),
  bitxor: bitwise((x, y) => x ^ y),
  bitnand: bitwise((x, y) => x & ~y),
  bitshl: bitwise((x, y) => x << y, true),
  bitshr: bitwise((x, y) => x >> y, true),
  bitushr: bitwise((x, y) => BigInt.asUintN(64, x) >> y, true),
  bitnot: { arity: [1, 1], call: (args) => makeInt(Number(BigInt.asIntN(64, ~BigInt(strictIntArg(args, 0))))) },
};
