import { Field, Input, Select } from '@fluentui/react-components';
import { useId } from 'react';
import { api } from '../api';
import { useLoad, type Loaded } from '../hooks';
import type { Domain } from '../types';

/** The organization's accepted domains, the default first. */
export function useDomains(): Loaded<Domain[]> {
  return useLoad(async () => (await api.get<Domain[]>('/domains')).sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.name.localeCompare(b.name)), []);
}

/** An address as Microsoft's admin center asks for it: the name before @, then a domain drop-down. */
export function AddressField(props: {
  label: string;
  local: string;
  domain: string;
  domains: Domain[];
  onLocalChange: (value: string) => void;
  onDomainChange: (value: string) => void;
  validation: { validationMessage?: string; validationState?: 'error' };
  hint?: string;
  required?: boolean;
}) {
  const domainLabel = useId();
  const domains = props.domains.some((d) => d.name === props.domain) || props.domain === '' ? props.domains : [...props.domains, { name: props.domain, isDefault: false, createdAt: '' }];
  return (
    <Field label={props.label} required={props.required ?? true} {...props.validation} {...(props.hint ? { hint: props.hint } : {})}>
      {(fieldProps) => (
        <div className="address-input">
          <Input {...fieldProps} className="address-local" value={props.local} onChange={(_e, d) => props.onLocalChange(d.value)} autoComplete="off" spellCheck={false} />
          <span aria-hidden="true" className="at">@</span>
          <span id={domainLabel} className="visually-hidden">Domain</span>
          <Select className="address-domain" aria-labelledby={domainLabel} value={props.domain} onChange={(_e, d) => props.onDomainChange(d.value)}>
            {domains.map((d) => <option key={d.name} value={d.name}>{d.name}</option>)}
          </Select>
        </div>
      )}
    </Field>
  );
}
