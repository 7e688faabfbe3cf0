// QBO error envelopes, as real QBO answers them (see /work/shared/docs/qbo-api.md "Envelopes").

/** Current time the way QBO prints it: ISO with milliseconds and the company's UTC offset (Pacific, fixed -07:00). */
export function qboTime(d: Date = new Date()): string {
  const shifted = new Date(d.getTime() - 7 * 3600_000);
  return shifted.toISOString().replace('Z', '-07:00');
}

/** Today's date (YYYY-MM-DD) in the company's timezone. */
export function qboToday(d: Date = new Date()): string {
  return qboTime(d).slice(0, 10);
}

export interface FaultError {
  Message: string;
  Detail: string;
  code: string;
  element: string;
}

/** A fault an operation answers with; thrown by validation and caught by the router. */
export class QboFault extends Error {
  constructor(
    public status: number,
    public body: unknown,
  ) {
    super(`QBO fault ${status}: ${JSON.stringify(body)}`);
  }
}

export function faultBody(errors: FaultError[], type = 'ValidationFault'): unknown {
  return { Fault: { Error: errors, type }, time: qboTime() };
}

export function validationFault(code: string, message: string, detail: string, element = ''): QboFault {
  return new QboFault(400, faultBody([{ Message: message, Detail: detail, code, element }]));
}

// The codes the project depends on, with QBO's own wording.
export const Faults = {
  objectNotFound: (detail: string, element = '') => validationFault('610', 'Object Not Found', detail, element),
  inactive: (element = '') =>
    validationFault(
      '610',
      'Object Not Found',
      "Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.",
      element,
    ),
  unsupportedProperty: (detail: string, element = '') =>
    validationFault('2010', 'Request has invalid or unsupported property', `Property Name:${detail}`, element),
  requiredMissing: (param: string, element = param) =>
    validationFault(
      '2020',
      'Required param missing, need to supply the required value for the API',
      `Required parameter ${param} is missing in the request`,
      element,
    ),
  invalidReference: (entity: string, id: string, element = '') =>
    validationFault('2500', 'Invalid Reference Id', `Invalid Reference Id : ${entity} element id ${id} not found`, element),
  staleObject: (element = 'SyncToken') =>
    validationFault(
      '5010',
      'Stale Object Error',
      'Stale Object Error : You and root were working on the same thing at the same time. root just finished making changes, so you need to refresh your view.',
      element,
    ),
  business: (detail: string, element = '') =>
    validationFault(
      '6000',
      'A business validation error has occurred while processing your request',
      `Business Validation Error: ${detail}`,
      element,
    ),
  duplicateDocNumber: (docNumber: string, txnType: string, txnId: string) =>
    validationFault(
      '6140',
      'Duplicate Document Number Error',
      `Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=${docNumber} is assigned to TxnType=${txnType} with TxnId=${txnId}`,
      'DocNumber',
    ),
  duplicateName: (id: string) =>
    validationFault('6240', 'Duplicate Name Exists Error', `The name supplied already exists. : Id=${id}`, 'DisplayName'),
  queryParser: (detail: string) => validationFault('4000', 'Error parsing query', `QueryParserError: ${detail}`),
  queryValidation: (detail: string) => validationFault('4001', 'Invalid query', `QueryValidationError: ${detail}`),
  unsupportedOperation: (detail: string) => validationFault('500', 'Unsupported Operation', `Operation ${detail} is not supported.`),
};

/** 401 body with the lower-case keys seen in a real capture. */
export function authFailedBody(): unknown {
  return {
    fault: {
      error: [{ message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401', code: '3200' }],
      type: 'AUTHENTICATION',
    },
    time: qboTime(),
  };
}

/**
 * A valid access token used on another company's realm: QBO answers 403 with this (lower-case) envelope, as captured
 * in intuit/oauth-jsclient#2 and frappe/erpnext#29161.
 */
export function authorizationFailedBody(): unknown {
  return {
    fault: {
      error: [
        {
          message: 'message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403',
          detail: null,
          code: '3100',
          element: null,
        },
      ],
      type: 'SERVICE',
    },
    time: qboTime(),
  };
}

export function throttleBody(): unknown {
  return faultBody(
    [
      {
        Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429',
        Detail: 'The request limit was reached.',
        code: '3001',
        element: '',
      },
    ],
    'SERVICE',
  );
}

/** Default body for an injected fault of a given status. */
export function defaultFaultBody(status: number): unknown {
  if (status === 401) return authFailedBody();
  if (status === 429) return throttleBody();
  if (status === 400) return faultBody([{ Message: 'A validation error occurred', Detail: 'Injected validation fault', code: '6000', element: '' }]);
  if (status === 503)
    return faultBody(
      [
        {
          Message: 'Service Unavailable',
          Detail: 'The service is temporarily unavailable.',
          code: '3003',
          element: '',
        },
      ],
      'SERVICE',
    );
  return faultBody(
    [
      {
        Message: 'An application error has occurred while processing your request',
        Detail: 'System Failure Error: An unexpected error occurred while accessing or saving your data. Please wait a few minutes and try again.',
        code: '10000',
        element: '',
      },
    ],
    'SystemFault',
  );
}
