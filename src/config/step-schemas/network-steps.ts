import { z } from "zod";
import { flag, nameValuePair, text } from "./config-values.js";

const request = {
  url: text,
  headers: z.array(nameValuePair).optional(),
  queryParams: z.array(nameValuePair).optional(),
  insecureSkipTLSVerify: flag.optional(),
  timeout: text.optional(),
};

export const NETWORK_STEP_SCHEMAS = {
  http: z.strictObject({
    ...request,
    method: z.string().regex(/^([A-Z]+|.*\$\{[{%].*)$/, "use an HTTP method in capitals, e.g. GET").optional(),
    body: z.string().optional(),
    successExpression: text.optional(),
    failureExpression: text.optional(),
    outputs: z.array(z.strictObject({ name: text, fromExpression: text })).optional(),
  }),
  "http-download": z.strictObject({ ...request, outPath: text, allowOverwrite: flag.optional() }),
  "oci-download": z.strictObject({ imageRef: text, outPath: text, mediaType: text.optional(), allowOverwrite: flag.optional(), insecureSkipTLSVerify: flag.optional() }),
  "oci-push": z.strictObject({ imageRef: text, destRef: text, annotations: z.record(z.string(), z.string()).optional(), insecureSkipTLSVerify: flag.optional() }),
};
