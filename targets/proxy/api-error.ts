/**
 * Errors the API answers with, as Toxiproxy words them: the body is `{"error": message, "status":
 * code}`, and clients match on the code (and some on the message).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toJSON(): { error: string; status: number } {
    return { error: this.message, status: this.status };
  }
}

export const badRequestBody = (detail: string): ApiError => new ApiError(400, `bad request body: ${detail}`);
export const missingField = (field: string): ApiError => new ApiError(400, `missing required field: ${field}`);
export const proxyNotFound = (): ApiError => new ApiError(404, 'proxy not found');
export const proxyAlreadyExists = (): ApiError => new ApiError(409, 'proxy already exists');
export const invalidStream = (): ApiError => new ApiError(400, 'stream was invalid, can be either upstream or downstream');
export const invalidToxicType = (): ApiError => new ApiError(400, 'invalid toxic type');
export const toxicAlreadyExists = (): ApiError => new ApiError(409, 'toxic already exists');
export const toxicNotFound = (): ApiError => new ApiError(404, 'toxic not found');
