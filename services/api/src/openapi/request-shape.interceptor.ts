import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { ApiError } from '@driftline/common';
import {
  documentedOperations,
  templateOf,
  type DocumentedOperation,
  type JsonSchema,
  type OpenApiDocument,
} from './openapi.operations';
import { unknownFields } from './unknown.fields';

/** Unknown fields listed in the details at most (count says how many there were). */
const MAX_LISTED_FIELDS = 1000;

/** What a route without a request body accepts as one: nothing but `{}`. */
const NO_BODY: JsonSchema = { type: 'object', additionalProperties: false };

/** 400 `unknown_parameter` for a query parameter the operation does not declare. */
export function checkQuery(query: Record<string, unknown>, operation: DocumentedOperation): void {
  const unknown = Object.keys(query).filter((name) => !operation.queryNames.has(name));
  if (unknown.length === 0) return;
  const allowed = [...operation.queryNames].sort();
  throw new ApiError(
    400,
    'unknown_parameter',
    `unknown query parameter ${unknown.join(', ')}; this route takes ${allowed.length === 0 ? 'none' : allowed.join(', ')}`,
    { parameters: unknown, allowed },
  );
}

/** 400 `unknown_field` for a body field the operation's schema does not know, wherever it sits. */
export function checkBody(body: unknown, operation: DocumentedOperation, document: object): void {
  if (body === undefined) return;
  const unknown = unknownFields(body, operation.jsonBody ?? NO_BODY, document);
  if (unknown.length === 0) return;
  // a batch of events may repeat one mistake thousands of times: the message names a few
  const named = unknown.slice(0, 10).join(', ');
  const more = unknown.length > 10 ? ` and ${unknown.length - 10} more` : '';
  throw new ApiError(400, 'unknown_field', `unknown field ${named}${more} in the body`, {
    fields: unknown.slice(0, MAX_LISTED_FIELDS),
    ...(unknown.length > MAX_LISTED_FIELDS ? { count: unknown.length } : {}),
  });
}

/**
 * Holds every request to what the OpenAPI document declares for its route: the query parameters
 * and the JSON body's fields. The document is the one declaration, so it cannot disagree with
 * what the routes accept. Runs after the guards (an unauthenticated request gets 401 first).
 */
@Injectable()
export class RequestShapeInterceptor implements NestInterceptor {
  private readonly operations: Map<string, DocumentedOperation>;

  constructor(private readonly document: OpenApiDocument) {
    this.operations = documentedOperations(document);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const req = context.switchToHttp().getRequest<Request>();
      const operation = this.operationOf(req);
      if (operation !== undefined) {
        checkQuery(req.query as Record<string, unknown>, operation);
        checkBody(req.body, operation, this.document);
      }
    }
    return next.handle();
  }

  private operationOf(req: Request): DocumentedOperation | undefined {
    const path = (req.route as { path?: unknown } | undefined)?.path;
    if (typeof path !== 'string') return undefined;
    const method = req.method === 'HEAD' ? 'get' : req.method.toLowerCase();
    return this.operations.get(`${method} ${templateOf(path)}`);
  }
}
