// Form fields drawn from a JSON schema of the API (a step's or an intake's body): text, choices,
// switches, numbers, dates, lists and nested groups. Required fields are marked; nothing is
// checked here — the API validates and its refusals are shown beside the fields they name.
import { Button, Card, Form, Input, InputNumber, Select, Space, Switch } from 'antd'
import type { NamePath } from 'antd/es/form/interface'
import { nonNull, type JsonSchema } from './openapi'
import { useI18n } from './i18n'
import { choiceLabel, fieldLabel } from './labels'
import { useWords } from './words'

/** A readable label: the catalogue's word for the field, else its name spread into words. */
function useLabel() {
  const { locale } = useI18n()
  return (name: string) => fieldLabel(locale, name)
}

const kindOf = (schema: JsonSchema): string => {
  const s = nonNull(schema)
  if (s.enum || s.const !== undefined) return 'enum'
  const type = Array.isArray(s.type) ? s.type[0] : s.type
  if (type === 'string' && s.format === 'date-time') return 'datetime'
  if (type === 'string' && s.format === 'date') return 'date'
  if (type === 'array' && s.items && ['string'].includes(String(nonNull(s.items).type))) {
    return nonNull(s.items).enum ? 'multi-enum' : 'tags'
  }
  if (type === 'array') return 'list'
  return type ?? 'json'
}

export function SchemaFields({
  schema,
  path = [],
  testPrefix = 'field',
}: {
  schema: JsonSchema
  path?: (string | number)[]
  testPrefix?: string
}) {
  const label = useLabel()
  const required = new Set(schema.properties ? (schema.required ?? []) : [])
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([name, field]) => (
        <SchemaField
          key={name}
          name={[...path, name]}
          schema={field}
          label={label(name)}
          required={required.has(name)}
          testPrefix={testPrefix}
          testId={`${testPrefix}-${[...path, name].join('.')}`}
        />
      ))}
    </>
  )
}

function SchemaField(props: {
  name: (string | number)[]
  schema: JsonSchema
  label: string
  required: boolean
  testPrefix: string
  testId: string
}) {
  const { locale } = useI18n()
  const { name, label, required, testId } = props
  const schema = nonNull(props.schema)
  /** An enum value in the reader's words, by the field it is a choice of. */
  const field = String(name.filter((n) => typeof n === 'string').at(-1) ?? '')
  const optionLabel = (value: string) => choiceLabel(locale, field, value)
  const help = schema.description
  const item = { name: name as NamePath, label, required, tooltip: help }
  switch (kindOf(schema)) {
    case 'enum': {
      const values = schema.enum ?? [schema.const]
      return (
        <Form.Item {...item}>
          <Select
            data-testid={testId}
            allowClear
            options={values.map((v) => ({ value: v as string, label: optionLabel(String(v)) }))}
          />
        </Form.Item>
      )
    }
    case 'multi-enum':
      return (
        <Form.Item {...item}>
          <Select
            mode="multiple"
            data-testid={testId}
            options={(nonNull(schema.items!).enum ?? []).map((v) => ({
              value: v as string,
              label: optionLabel(String(v)),
            }))}
          />
        </Form.Item>
      )
    case 'tags':
      return (
        <Form.Item {...item}>
          <Select mode="tags" data-testid={testId} open={false} tokenSeparators={[',', '，', ' ']} />
        </Form.Item>
      )
    case 'boolean':
      return (
        <Form.Item {...item} valuePropName="checked">
          <Switch data-testid={testId} />
        </Form.Item>
      )
    case 'integer':
    case 'number':
      return (
        <Form.Item {...item}>
          <InputNumber data-testid={testId} style={{ width: 200 }} />
        </Form.Item>
      )
    case 'datetime':
      return (
        <Form.Item {...item}>
          <Input type="datetime-local" data-testid={testId} />
        </Form.Item>
      )
    case 'date':
      return (
        <Form.Item {...item}>
          <Input type="date" data-testid={testId} />
        </Form.Item>
      )
    case 'object':
      return (
        <Card size="small" type="inner" title={label} style={{ marginBottom: 12 }}>
          <SchemaFields schema={schema} path={name} testPrefix={props.testPrefix} />
        </Card>
      )
    case 'list':
      return <ListField {...props} schema={schema} />
    case 'string':
      return (
        <Form.Item {...item}>
          {(schema.maxLength ?? 0) > 300 ? (
            <Input.TextArea rows={3} data-testid={testId} />
          ) : (
            <Input data-testid={testId} />
          )}
        </Form.Item>
      )
    default:
      return (
        <Form.Item {...item} extra="JSON">
          <Input.TextArea rows={2} data-testid={testId} />
        </Form.Item>
      )
  }
}

/** A list of groups (e.g. the engineers of a dispatch): add and remove rows. */
function ListField(props: { name: (string | number)[]; schema: JsonSchema; label: string; testId: string }) {
  const w = useWords()
  const items = nonNull(props.schema.items ?? {})
  return (
    <Form.Item label={props.label} tooltip={props.schema.description}>
      <Form.List name={props.name as NamePath}>
        {(rows, { add, remove }) => (
          <Space direction="vertical" style={{ width: '100%' }}>
            {rows.map((row) => (
              <Card key={row.key} size="small" extra={<a onClick={() => remove(row.name)}>✕</a>}>
                {items.properties ? (
                  <SchemaFields schema={items} path={[row.name]} testPrefix={`${props.testId}.${row.name}`} />
                ) : (
                  <Form.Item name={row.name}>
                    <Input />
                  </Form.Item>
                )}
              </Card>
            ))}
            <Button size="small" onClick={() => add()} data-testid={`${props.testId}-add`}>
              + {w.form.add}
            </Button>
          </Space>
        )}
      </Form.List>
    </Form.Item>
  )
}

/**
 * Form values → the request body: empty inputs left out, local date-times as instants, JSON
 * fields parsed; the schema says which is which.
 */
export function toBody(values: unknown, schema: JsonSchema): unknown {
  const s = nonNull(schema)
  if (values === undefined || values === null || values === '') return undefined
  switch (kindOf(s)) {
    case 'object': {
      const out: Record<string, unknown> = {}
      for (const [key, field] of Object.entries(s.properties ?? {})) {
        const value = toBody((values as Record<string, unknown>)[key], field)
        if (value !== undefined) out[key] = value
      }
      return Object.keys(out).length ? out : undefined
    }
    case 'list':
      return (values as unknown[]).map((v) => toBody(v, s.items ?? {}) ?? {})
    case 'tags':
    case 'multi-enum':
      return (values as unknown[]).length ? values : undefined
    case 'datetime':
      return new Date(values as string).toISOString()
    case 'string':
      return typeof values === 'string' ? values.trim() || undefined : values
    case 'json':
      try {
        return JSON.parse(values as string)
      } catch {
        return values
      }
    default:
      return values
  }
}
