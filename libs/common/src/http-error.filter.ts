import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiError, type ErrorBody } from './api.error';
import type { Logger } from './logger';
import { REQUEST_ID_HEADER, requestIdOf } from './request-id.middleware';

const CODES: Record<number, string> = {
  400: 'bad_request',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  503: 'unavailable',
};

/** Errors raised by Express's body parser carry a status and a type. */
interface BodyParserError {
  status: number;
  type: string;
  message: string;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as BodyParserError).status === 'number' &&
    typeof (error as BodyParserError).type === 'string'
  );
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return new ApiError(status, CODES[status] ?? (status >= 500 ? 'internal' : 'bad_request'), error.message);
  }
  if (isBodyParserError(error)) {
    if (error.type === 'entity.too.large') {
      return new ApiError(413, 'payload_too_large', 'request body exceeds the configured limit');
    }
    if (error.type === 'entity.parse.failed') {
      return new ApiError(400, 'malformed_json', `request body is not valid JSON: ${error.message}`);
    }
    return new ApiError(error.status, CODES[error.status] ?? 'bad_request', error.message);
  }
  return new ApiError(500, 'internal', 'internal error');
}

/** Renders every error as { error: { code, message, details, requestId } }. */
export function sendError(req: Request, res: Response, error: unknown, logger: Logger): void {
  const apiError = toApiError(error);
  const requestId = requestIdOf(req);
  if (apiError.status >= 500) {
    logger.error({ requestId, err: error, path: req.path }, 'request failed');
  }
  const body: ErrorBody = {
    error: { code: apiError.code, message: apiError.message, details: apiError.details, requestId },
  };
  res.setHeader(REQUEST_ID_HEADER, requestId);
  res.status(apiError.status).json(body);
}

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendError(http.getRequest<Request>(), http.getResponse<Response>(), exception, this.logger);
  }
}
